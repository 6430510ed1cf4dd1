// The print button of printable pages (an inline handler would break the CSP).
document.getElementById('print')?.addEventListener('click', () => window.print());
