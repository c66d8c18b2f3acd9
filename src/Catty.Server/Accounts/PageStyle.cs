namespace Catty.Server.Accounts;

/// <summary>
/// The look of the server's own pages: the dashboard's colours, top bar, panels, fields and buttons (web/src/ui/app.css),
/// inlined so that these pages work on a server built without the dashboard. Mobile first: one column, 390 px wide,
/// nothing wider than the screen (long emails and codes wrap).
/// </summary>
internal static class PageStyle
{
    public const string Css = """
        :root{--bg:#0a0a0f;--panel:#14141c;--line:#26263a;--fg:#e8e8f0;--muted:#9a9ab0;--accent:#00ff88;--red:#ff4d5e;
        color-scheme:dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:16px}
        *{box-sizing:border-box}
        html,body{margin:0;background:var(--bg);color:var(--fg)}
        body{padding:env(safe-area-inset-top) env(safe-area-inset-right) 0 env(safe-area-inset-left);line-height:1.45}
        a{color:var(--accent)}
        :focus-visible{outline:2px solid var(--accent);outline-offset:2px}
        .topbar{display:flex;align-items:center;gap:.5rem;padding:.5rem .75rem;border-bottom:1px solid var(--line);min-height:3rem}
        .brand{font-size:1.3rem}
        .name{font-weight:600}
        main{padding:.75rem;max-width:28rem;margin:0 auto}
        .card{background:var(--panel);border:1px solid var(--line);border-radius:.8rem;padding:1rem;margin-top:.5rem}
        h1{font-size:1.15rem;margin:0 0 .75rem}
        p{margin:.5rem 0;overflow-wrap:anywhere}
        label{display:block;color:var(--muted);font-size:.85rem;margin:.8rem 0 .3rem}
        input{display:block;width:100%;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:.5rem;padding:.6rem;min-height:2.75rem}
        button,.button{font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--line);border-radius:.6rem;padding:.55rem .9rem;
        min-height:2.75rem;width:100%;margin-top:1rem;cursor:pointer;text-decoration:none;display:flex;align-items:center;justify-content:center;touch-action:manipulation}
        button.primary{background:var(--accent);color:#04140c;border-color:var(--accent);font-weight:600}
        button.secondary{background:transparent}
        .error{color:var(--red);border:1px solid var(--red);border-radius:.6rem;padding:.6rem .75rem;margin:0 0 .75rem;background:rgb(255 77 94 / .08)}
        .note{color:var(--muted);font-size:.85rem;margin-top:1rem}
        code{font-family:ui-monospace,Menlo,monospace;font-size:.9em}
        .code{display:block;text-align:center;font-size:1.5rem;letter-spacing:.12em;background:var(--bg);border:1px solid var(--line);border-radius:.5rem;padding:.6rem}
        """;
}
