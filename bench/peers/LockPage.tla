------------------------------ MODULE LockPage ------------------------------
(* N threads, P pages, written the plain way: each thread, for ever, picks a page, takes the
   file's mutex and then the page's lock, changes the page (an empty page gets one of two
   contents; a page with contents is emptied), and releases the two locks in reverse order.
   daxmc's specs/examples/lock-page.ts is the same model. With N = 4 and P = 4 TLC 2.20 reports
   22,118,401 states generated and 2,985,984 distinct states. *)
EXTENDS Naturals

CONSTANTS N, P

Threads == 1..N
Pages == 1..P
NoOne == 0

VARIABLES pc, page, fileLock, pageLock, data

vars == <<pc, page, fileLock, pageLock, data>>

Init ==
  /\ pc = [t \in Threads |-> "pick"]
  /\ page = [t \in Threads |-> 1]
  /\ fileLock = NoOne
  /\ pageLock = [p \in Pages |-> NoOne]
  /\ data = [p \in Pages |-> 0]

Pick(t) ==
  /\ pc[t] = "pick"
  /\ \E p \in Pages : page' = [page EXCEPT ![t] = p]
  /\ pc' = [pc EXCEPT ![t] = "lockFile"]
  /\ UNCHANGED <<fileLock, pageLock, data>>

LockFile(t) ==
  /\ pc[t] = "lockFile"
  /\ fileLock = NoOne
  /\ fileLock' = t
  /\ pc' = [pc EXCEPT ![t] = "lockPage"]
  /\ UNCHANGED <<page, pageLock, data>>

LockPage(t) ==
  /\ pc[t] = "lockPage"
  /\ pageLock[page[t]] = NoOne
  /\ pageLock' = [pageLock EXCEPT ![page[t]] = t]
  /\ pc' = [pc EXCEPT ![t] = "change"]
  /\ UNCHANGED <<page, fileLock, data>>

Change(t) ==
  /\ pc[t] = "change"
  /\ \E v \in IF data[page[t]] = 0 THEN {1, 2} ELSE {0} :
       data' = [data EXCEPT ![page[t]] = v]
  /\ pc' = [pc EXCEPT ![t] = "unlockPage"]
  /\ UNCHANGED <<page, fileLock, pageLock>>

UnlockPage(t) ==
  /\ pc[t] = "unlockPage"
  /\ pageLock' = [pageLock EXCEPT ![page[t]] = NoOne]
  /\ pc' = [pc EXCEPT ![t] = "unlockFile"]
  /\ UNCHANGED <<page, fileLock, data>>

UnlockFile(t) ==
  /\ pc[t] = "unlockFile"
  /\ fileLock' = NoOne
  /\ pc' = [pc EXCEPT ![t] = "pick"]
  /\ UNCHANGED <<page, pageLock, data>>

Next == \E t \in Threads :
          Pick(t) \/ LockFile(t) \/ LockPage(t) \/ Change(t) \/ UnlockPage(t) \/ UnlockFile(t)

Spec == Init /\ [][Next]_vars

(* One thread at a time changes a page, and it holds the page's lock. *)
Exclusive ==
  \A t \in Threads : pc[t] = "change" => /\ fileLock = t
                                        /\ pageLock[page[t]] = t
=============================================================================
