// A webhook receiver written with the npm package standardwebhooks (an implementation that is not
// Taskgate's): it verifies every request and appends one JSON line per request to $RECEIVED:
// {path, ok, id, type, task_id, latency_ms} (latency: receive time minus the event's timestamp,
// which is the time of the transaction that recorded the task's terminal status). A request whose
// signature does not verify is answered 400.
import http from "node:http";
import fs from "node:fs";
import { Webhook } from "standardwebhooks";

const secrets = { "/task": process.env.TASK_SECRET, "/endpoint": process.env.ENDPOINT_SECRET };

http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const receivedAt = Date.now();
    const body = Buffer.concat(chunks).toString("utf8");
    const record = { path: req.url, ok: false };
    try {
      const event = new Webhook(secrets[req.url]).verify(body, {
        "webhook-id": req.headers["webhook-id"],
        "webhook-timestamp": req.headers["webhook-timestamp"],
        "webhook-signature": req.headers["webhook-signature"],
      });
      Object.assign(record, { ok: true, id: req.headers["webhook-id"], type: event.type, task_id: event.data.task_id,
        status: event.data.status, latency_ms: receivedAt - Date.parse(event.timestamp) });
    } catch (e) {
      record.error = String(e && e.message ? e.message : e);
    }
    // Recorded before the answer, so whoever saw the answer finds the line.
    fs.appendFileSync(process.env.RECEIVED, JSON.stringify(record) + "\n");
    res.writeHead(record.ok ? 204 : 400).end();
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log(`receiver listening on ${process.env.PORT}`));
