# test.sh's view of `dotnet test --logger "console;verbosity=normal"`: instead of a line per passed test, a progress line
# every 25 tests (and the test class being run); every other line (failures with their messages, build errors, summaries)
# passes through unchanged.
/^ +Passed [^ ]/ { passed++; report(); next }
/^ +Failed [^ ]/ { failed++; report(); print; next }
/^ +Skipped [^ ]/ { skipped++; report(); print; next }
{ print }

function report(   done, name) {
  done = passed + failed + skipped
  if (done % 25 == 0) {
    name = $2
    sub(/\.[^.]*$/, "", name)
    printf "test.sh: %d tests run (%d failed, %d skipped), now in %s\n", done, failed, skipped, name
    fflush()
  }
}
