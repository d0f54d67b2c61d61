----------------------------- MODULE MCPeterson -----------------------------
(* daxmc: Peterson's algorithm (locks_auxiliary_vars) with weak fairness per *)
(* process, and with process 2 not fair (it may stop anywhere, also inside  *)
(* its critical section).                                                    *)
EXTENDS Peterson

FairSpec == Spec /\ \A p \in ProcSet : WF_vars(proc(p))
OneFairSpec == Spec /\ WF_vars(proc(1))

\* Every process that wants to enter its critical section gets in.
StarvationFree == \A p \in ProcSet : (pc[p] = "a1") ~> (pc[p] = "cs")
=============================================================================
