# test.sh's account of why each failed test failed, read from the trx files: its message and the first lines of its stack
# trace, printed next to the summary so that a log which keeps only its tail still says why (the first few failures only).
/<UnitTestResult / {
  failed = $0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/
  if (failed && ++shown <= 3) {
    name = $0
    sub(/.*testName="/, "", name)
    sub(/".*/, "", name)
    print "test.sh: why " unescape(name) " failed:"
  }
  next
}
/<\/UnitTestResult>/ { failed = 0; next }
failed && shown <= 3 && /<Message>/ { part = "Message"; left = 30 }
failed && shown <= 3 && /<StackTrace>/ { part = "StackTrace"; left = 4 }
part != "" {
  line = $0
  sub(/.*<(Message|StackTrace)>/, "", line)
  ended = sub(/<\/(Message|StackTrace)>.*/, "", line)
  if (left-- > 0 && line != "") print "  " unescape(line)
  if (ended) part = ""
}

function unescape(text) {
  gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&quot;/, "\"", text); gsub(/&apos;/, "'", text)
  gsub(/&amp;/, "\\&", text)
  return text
}
