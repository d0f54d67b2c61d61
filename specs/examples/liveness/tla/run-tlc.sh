#!/bin/sh
# Runs TLC 2.20 on every configuration here and prints, for each, the outcome and TLC's counts:
# the figures the daxmc ports (../*.ts) pin in test/specs/liveness-examples.test.ts. Needs java
# and tla2tools.jar (TLA2TOOLS, default /work/tools/tla2tools.jar); the tests do not.
# Usage: sh specs/examples/liveness/tla/run-tlc.sh   (from anywhere; works in a scratch copy)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=${TLA2TOOLS:-/work/tools/tla2tools.jar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/*.tla "$here"/*.cfg "$work"/
cd "$work"
run() {
  module=$1
  cfg=$2
  out=$(java -XX:+UseParallelGC -cp "$jar" tlc2.TLC -workers 1 -nowarning -lncheck final -config "$cfg.cfg" "$module.tla" 2>&1 || true)
  verdict=$(printf '%s\n' "$out" | grep -E '^Error: (Temporal properties were violated|Invariant|Deadlock)|^Model checking completed. No error has been found' | head -1)
  counts=$(printf '%s\n' "$out" | grep -E 'states generated, [0-9]+ distinct states found' | tail -1)
  depth=$(printf '%s\n' "$out" | grep -E 'depth of the complete state graph search is' | tail -1)
  echo "$cfg: $verdict | $counts | $depth"
}
run MCHourClock MCHourClockFair
run MCHourClock MCHourClockNoFairness
run MCPeterson MCPetersonFair
run MCPeterson MCPetersonOneFair
run MCDiningPhilosophers MCDiningPhilosophersFair
run MCDiningPhilosophers MCDiningPhilosophersOneUnfair
run MCSimpleAllocator MCSimpleAllocatorStrong
run MCSimpleAllocator MCSimpleAllocatorWeak
run MCTokenRing MCTokenRing4x4
run MCTokenRing MCTokenRing6x6
run TokenRingFewValues TokenRingFewValues
run MCEWD840 MCEWD840
run MCEWD840 MCEWD840Terminates
run MCPrisoners MCPrisonersFair
run MCPrisoners MCPrisonersUnfairCounter
run MCAlternatingBit MCAlternatingBitStrong
run MCAlternatingBitWeak MCAlternatingBitWeak
