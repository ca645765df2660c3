#!/usr/bin/env bash
# Usage: dotnet build -c Release Lan.Node && Lan.Actors.Benchmarks/startup-times.sh   (loopback only: hocon/loopback.conf)
# Start-up of each lan-node command: wall time from exec to its first useful output, 5 runs, median.
cd "$(dirname "$0")/.."
N=Lan.Node/bin/Release/net10.0/lan-node.dll
C=hocon/loopback.conf
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
first_line() { # $1 pattern, rest: command; time until a line matching the pattern appears on stdout or stderr
  local pat=$1; shift; local t0=$(date +%s%N)
  timeout 20 "$@" 2>&1 | while IFS= read -r line; do if [[ "$line" == *$pat* ]]; then ms $t0; pkill -TERM -f "lan-node.dll $2" ; break; fi; done
}
for i in 1 2 3 4 5; do t=$(date +%s%N); dotnet $N --help >/dev/null; ms $t; done | median | sed 's/^/--help (exit) ms: /'
for i in 1 2 3 4 5; do t=$(date +%s%N); dotnet $N config --config $C >/dev/null; ms $t; done | median | sed 's/^/config (exit) ms: /'
for i in 1 2 3 4 5; do first_line "listening on" dotnet $N server --config $C --name su-$i; sleep 0.5; done | median | sed 's/^/server (listening) ms: /'
for i in 1 2 3 4 5; do t=$(date +%s%N); dotnet $N discover --config $C --timeout 200ms >/dev/null 2>&1; ms $t; done | median | sed 's/^/discover --timeout 200ms (exit) ms: /'
for i in 1 2 3 4 5; do first_line "demo:" dotnet $N demo --seconds 1; sleep 2; done | median | sed 's/^/demo (first line) ms: /'
# client: from exec to the server's welcome, with a server already running (stopped at the end).
(timeout 60 dotnet $N server --config $C --name su-srv >/dev/null 2>&1 &)
sleep 2
for i in 1 2 3 4 5; do
  t=$(date +%s%N)
  (sleep 3 | timeout 10 dotnet $N client --config $C --server su-srv 2>/dev/null) | while IFS= read -r l; do
    if [[ "$l" == *"welcomes you"* ]]; then ms $t; pkill -TERM -f "lan-node.dll client"; break; fi
  done
  sleep 0.5
done | median | sed 's/^/client (welcomed) ms: /'
pkill -TERM -f "su-srv"
