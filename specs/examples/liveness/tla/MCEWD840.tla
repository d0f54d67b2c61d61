------------------------------ MODULE MCEWD840 ------------------------------
(* daxmc: EWD840's liveness, and the claim that the nodes themselves        *)
(* terminate, which the spec does not promise (only the token's actions    *)
(* are fair).                                                               *)
EXTENDS EWD840

Terminates == <>terminated
=============================================================================
