// The console's sections: one visible at a time, chosen from the navigation (each button says which is current).
'use strict';

window.RulesConsoleViews = (function () {
  const buttons = [...document.querySelectorAll('nav button[data-view]')];
  const listeners = {};

  function show(view) {
    buttons.forEach((button) => {
      const current = button.dataset.view === view;
      document.getElementById(button.dataset.view).hidden = !current;
      if (current) { button.setAttribute('aria-current', 'page'); } else { button.removeAttribute('aria-current'); }
    });
    (listeners[view] || []).forEach((listener) => listener());
  }

  buttons.forEach((button) => button.addEventListener('click', () => show(button.dataset.view)));
  return {
    show,
    onShow(view, listener) { (listeners[view] = listeners[view] || []).push(listener); },
  };
}());
