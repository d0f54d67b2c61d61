---------------------------- MODULE MCHourClock ----------------------------
(* daxmc: the hour clock with and without its weak fairness (LiveHourClock). *)
EXTENDS LiveHourClock
=============================================================================
