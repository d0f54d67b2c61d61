------------------------- MODULE MCDiningPhilosophers -------------------------
(* daxmc: the Chandy-Misra philosophers with philosopher 1 not fair.         *)
EXTENDS DiningPhilosophers

OneUnfairSpec == /\ Init /\ [][Next]_vars
                 /\ \A self \in 2..NP : WF_vars(Philosopher(self))
=============================================================================
