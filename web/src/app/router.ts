// Two pages: "/" (sessions) and "/sessions/<label>" (one session). The session page's code, xterm.js
// included, is loaded only when it is opened.

export type Route = { page: "sessions" } | { page: "session"; label: string };

export function routeOf(pathname: string): Route {
  const match = /^\/sessions\/([^/]+)\/?$/.exec(pathname);
  return match ? { page: "session", label: decodeURIComponent(match[1]) } : { page: "sessions" };
}

export const sessionPath = (label: string): string => `/sessions/${encodeURIComponent(label)}`;
