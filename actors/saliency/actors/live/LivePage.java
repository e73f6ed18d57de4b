package saliency.actors.live;

/** The live view's page: the MJPEG overlay and a table of figures polled from {@code figures}; a constant. */
final class LivePage {
  private LivePage() {}

  /** The page; it polls the figures twice a second and says when the source has ended or the server stopped. */
  static final String HTML = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>saliency live view</title>
      <style>
        body { font-family: sans-serif; background: #111; color: #ddd; margin: 16px; }
        h1 { font-size: 18px; font-weight: normal; margin: 0 0 12px 0; }
        .row { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
        img { background: #000; image-rendering: auto; min-width: 320px; max-width: 100%; border: 1px solid #333; }
        table { border-collapse: collapse; font-size: 14px; }
        td { padding: 3px 10px; border-bottom: 1px solid #333; }
        td.v { text-align: right; font-variant-numeric: tabular-nums; color: #fff; }
        #state { margin-top: 10px; font-size: 13px; color: #f88; }
      </style>
      </head>
      <body>
      <h1>saliency live view: <span id="source">-</span></h1>
      <div class="row">
        <img id="overlay" src="stream.mjpg" alt="live overlay: each frame with its mask tinted and outlined in red">
        <div>
          <table>
            <tr><td>frames/s</td><td class="v" id="fps">-</td></tr>
            <tr><td>latency p50 (ms)</td><td class="v" id="p50_ms">-</td></tr>
            <tr><td>latency p99 (ms)</td><td class="v" id="p99_ms">-</td></tr>
            <tr><td>answered</td><td class="v" id="answered">-</td></tr>
            <tr><td>dropped</td><td class="v" id="dropped">-</td></tr>
            <tr><td>frame (pts ms)</td><td class="v" id="frame">-</td></tr>
            <tr><td>frames served</td><td class="v" id="served">-</td></tr>
            <tr><td>viewers</td><td class="v" id="viewers">-</td></tr>
          </table>
          <div id="state"></div>
        </div>
      </div>
      <script>
        const show = (id, v) => { document.getElementById(id).textContent = v === null ? '-' : v; };
        async function poll() {
          try {
            const r = await fetch('figures', { cache: 'no-store' });
            const f = await r.json();
            show('source', f.source);
            for (const k of ['fps', 'p50_ms', 'p99_ms', 'answered', 'dropped', 'served', 'viewers']) show(k, f[k]);
            show('frame', f.frame === null ? null : f.frame + ' (' + f.pts_ms + ')');
            show('state', f.ended ? 'source ended: the last frame and the final figures' : '');
          } catch (e) {
            show('state', 'server stopped');
            return;
          }
          setTimeout(poll, 500);
        }
        poll();
      </script>
      </body>
      </html>
      """;
}
