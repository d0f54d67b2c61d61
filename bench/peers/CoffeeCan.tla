----------------------------- MODULE CoffeeCan -----------------------------
(* The coffee can problem as CoffeeCan.tla in tlaplus/Examples states it, with one initial can
   (Black black and White white beans) as daxmc's specs/examples/coffee-can.ts has, and its
   `lead` variable (black - white). bench:peers runs it beside daxmc. *)
EXTENDS Integers

CONSTANTS Black, White

VARIABLES black, white, lead

vars == <<black, white, lead>>

Init == black = Black /\ white = White /\ lead = Black - White

Set(b, w) == black' = b /\ white' = w /\ lead' = b - w

PickSameColorBlack == black + white >= 2 /\ black >= 2 /\ Set(black - 1, white)
PickSameColorWhite == black + white >= 2 /\ white >= 2 /\ Set(black + 1, white - 2)
PickDifferentColor == black >= 1 /\ white >= 1 /\ Set(black - 1, white)

Next == PickSameColorBlack \/ PickSameColorWhite \/ PickDifferentColor

LoopInvariant == white % 2 = White % 2
LeadIsDifference == lead = black - white
=============================================================================
