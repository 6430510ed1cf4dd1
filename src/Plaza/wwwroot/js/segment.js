// Counts a segment's members as the owner types its rules: the form's fields go to the page's "size" handler,
// and its answer (already in the owner's language) replaces the output. The last answer asked for wins.
(() => {
  const form = document.getElementById('new-segment');
  const output = document.getElementById('segment-size');
  if (!form || !output) return;
  let timer = 0;
  let asked = 0;
  const count = async () => {
    const mine = ++asked;
    const fields = new URLSearchParams(new FormData(form));
    fields.delete('__RequestVerificationToken');
    fields.delete('name');
    try {
      const response = await fetch(`${form.dataset.size}&${fields}`, { headers: { Accept: 'application/json' } });
      const body = await response.json();
      if (mine !== asked) return;
      output.textContent = response.ok ? body.text : `${form.dataset.unreadable} ${Object.values(body.errors ?? {}).flat().join(' ')}`;
    } catch {
      if (mine === asked) output.textContent = '';
    }
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(count, 200);
  });
  count();
})();
