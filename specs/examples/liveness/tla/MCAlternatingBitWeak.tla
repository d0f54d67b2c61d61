------------------------ MODULE MCAlternatingBitWeak ------------------------
(* daxmc: the alternating-bit protocol with only weak fairness for the      *)
(* receive actions: a lossy channel can keep them from being continuously   *)
(* enabled, so a message may never get through.                             *)
EXTENDS MCAlternatingBit

WeakFairness == /\ WF_abvars(ReSndMsg) /\ WF_abvars(SndAck)
                /\ WF_abvars(RcvMsg) /\ WF_abvars(RcvAck)
WeakSpec == ABInit /\ [][ABNext]_abvars /\ WeakFairness
=============================================================================
