// Live syntax check: a pause in typing (400 ms) sends the selected draft rule's source to the server, which parses it as a
// save and a deploy do; its first syntax error, with line and column, shows beside the editor and its line is marked.
'use strict';

window.RulesConsoleCheck = (function () {
  const status = document.getElementById('syntax-status');
  const lineClass = 'cm-syntax-error-line';
  let timer = null;
  let latest = 0;       // the newest check sent: an older answer that arrives later is dropped
  let marked = null;    // the CodeMirror line handle marked by the last answer

  function unmark() {
    if (marked) { window.RulesConsole.editor.removeLineClass(marked, 'background', lineClass); }
    marked = null;
  }

  function show(answer) {
    unmark();
    if (answer.ok) {
      status.textContent = 'No syntax errors';
      status.className = 'good';
      return;
    }
    status.textContent = `Line ${answer.line}, column ${answer.column}: ${answer.message}`;
    status.className = 'bad';
    const editor = window.RulesConsole.editor;
    if (answer.line >= 1 && answer.line <= editor.lineCount()) {
      marked = editor.addLineClass(answer.line - 1, 'background', lineClass);
    }
  }

  async function check(draft) {
    const ticket = ++latest;
    const response = await window.RulesConsole.call('POST', '/console/check', { id: draft.id, source: draft.source });
    if (ticket !== latest) { return; }
    if (response.status === 200) {
      show(response.body);
    } else {
      // Busy (429) or signed out: say nothing rather than something stale.
      unmark();
      status.textContent = '';
      status.className = '';
    }
  }

  function schedule(draft) {
    clearTimeout(timer);
    latest += 1;
    timer = setTimeout(() => check(draft), 400);
  }

  return { schedule };
}());
