------------------------- MODULE MCSimpleAllocator -------------------------
(* daxmc: the simple allocator as specified (SF for allocation), and with   *)
(* only weak fairness for allocation, which lets a client starve.           *)
EXTENDS SimpleAllocator

WeakAllocator ==
  /\ Init /\ [][Next]_vars
  /\ \A c \in Clients: WF_vars(Return(c, alloc[c]))
  /\ \A c \in Clients: WF_vars(\E S \in SUBSET Resources: Allocate(c,S))
=============================================================================
