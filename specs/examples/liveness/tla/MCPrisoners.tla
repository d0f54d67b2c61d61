----------------------------- MODULE MCPrisoners -----------------------------
(* daxmc: the prisoners puzzle, and with the counter not fair (never brought *)
(* into the room again at some point).                                        *)
EXTENDS Prisoners

UnfairCounterSpec == Init /\ [][Next]_vars /\ \A i \in OtherPrisoner : WF_vars(NonCounterStep(i))
=============================================================================
