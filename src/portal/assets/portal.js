// Progressive enhancement only: every page works without this file. It reveals the Copy
// buttons (the values are in read-only fields that can be selected by hand) and copies on click.
(() => {
  const copy = async (button) => {
    const target = document.getElementById(button.dataset.copy);
    if (!target) return;
    const text = 'value' in target ? target.value : target.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      if ('select' in target) target.select();
      document.execCommand('copy');
    }
    const label = button.textContent;
    button.textContent = 'Copied';
    button.classList.add('done');
    setTimeout(() => { button.textContent = label; button.classList.remove('done'); }, 1800);
  };
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    const what = button.dataset.copyLabel || document.querySelector(`label[for="${button.dataset.copy}"]`)?.textContent;
    if (what) button.setAttribute('aria-label', `Copy ${what}`);
    button.addEventListener('click', () => copy(button));
  }
  // Forms that ask for confirmation (revoke a token, switch a directory off).
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
})();
