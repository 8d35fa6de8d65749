// Errors beside their inputs, for the console's forms: an input names its error element in aria-describedby, and a refused
// input is marked aria-invalid until the next attempt.
'use strict';

window.RulesConsoleFields = (function () {
  function clear(container) {
    container.querySelectorAll('.field-error').forEach((element) => { element.textContent = ''; });
    container.querySelectorAll('[aria-invalid]').forEach((element) => element.removeAttribute('aria-invalid'));
  }

  // Puts the message in the error element errorId and marks the inputs it describes; false when there is no such element.
  function show(errorId, message) {
    const error = document.getElementById(errorId);
    if (!error) { return false; }
    error.textContent = message;
    document.querySelectorAll('[aria-describedby]').forEach((input) => {
      if (input.getAttribute('aria-describedby').split(' ').includes(errorId)) { input.setAttribute('aria-invalid', 'true'); }
    });
    return true;
  }

  // An API field error in words, with its line and column when it has them (a page template's).
  const describe = (error) => (error.line ? `Line ${error.line}, column ${error.column}: ${error.message}` : error.message);

  // What went wrong with a call, for a status line.
  const problem = (response) => (response.body && (response.body.detail || response.body.title)) || `HTTP ${response.status}`;

  // Shows each of a 400's field errors beside its input (errorIdOf maps an API field to an error element's id); the ones
  // with no input of their own are returned in words.
  function showAll(response, errorIdOf) {
    const errors = (response.body && response.body.errors) || [];
    return errors.filter((error) => !show(errorIdOf(error.field), describe(error)))
      .map((error) => `${error.field}: ${describe(error)}`);
  }

  return { clear, show, describe, problem, showAll };
}());
