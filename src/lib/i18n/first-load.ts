/**
 * Which of a language's messages a screen needs before its first render: the till (and the
 * home page, which only opens the till or another screen) needs only the till's and the
 * shell's (`isFirstLoadMessage` in src/lib/i18n/split-messages.ts); every other screen all
 * of them. What is not loaded first follows when the browser is idle, and before any other
 * screen or a till dialog shows.
 */
export function messagesNeededFirst(pathname: string): 'first' | 'all' {
  return pathname === '/' || pathname === '/till' || pathname.startsWith('/till/')
    ? 'first'
    : 'all';
}
