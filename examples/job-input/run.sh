#!/bin/sh
# Entry point of the example job: summarise the sensor readings into results/.
set -eu
mkdir -p results
awk -F, 'NR > 1 { n++; s += $4 } END { printf "readings=%d mean_moisture=%.3f\n", n, s / n }' \
  data/sensors.csv > results/summary.txt
cat results/summary.txt
