import type { Locator } from '@playwright/test';

/**
 * What sticks out: the page scrolling sideways, any element of `root` reaching past its edges, and any
 * element hiding content behind its own horizontal scroll bar.
 */
export async function overflowProblems(root: Locator): Promise<string[]> {
  return root.evaluate((container) => {
    const problems: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}${
        typeof el.className === 'string' && el.className
          ? `.${el.className.split(' ').slice(0, 3).join('.')}`
          : ''
      }`;
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) {
      problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    }
    const box = container.getBoundingClientRect();
    for (const el of container.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > box.right + 1 || r.left < box.left - 1) {
        problems.push(
          `${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`,
        );
      }
      const overflowX = getComputedStyle(el).overflowX;
      if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth} px behind a horizontal scroll`);
      }
    }
    return problems.slice(0, 8);
  });
}
