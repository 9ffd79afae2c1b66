# Shared by the e2e scripts: `check description expected actual` prints ok/FAIL and counts; `report name` prints the
# totals and fails the script when anything failed. Source it.
passed=0
failed=0

check() {  # description expected actual
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: expected $2, got $3"; fi
}

report() {  # name
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
