---------------------------- MODULE MCTokenRing ----------------------------
(* daxmc: Dijkstra's self-stabilizing token ring (EWD426).                  *)
EXTENDS TokenRing
=============================================================================
