import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startChild } from "../../scripts/processes";

/**
 * A TLS-terminating reverse proxy in front of the portal, as an ingress (Container Apps, App Gateway, Front Door,
 * a Kubernetes ingress) puts one: Debian's nginx, HTTP/2 and TLS 1.2/1.3 with the stand-in's throwaway localhost
 * certificate, plain HTTP to the portal with X-Forwarded-Proto/-Host/-For. The Host header stays nginx's default
 * (the upstream's own address), so the portal can only learn its public URL from AUTH_URL and X-Forwarded-*.
 */

export const NGINX = "/usr/sbin/nginx";
export const hasNginx = existsSync(NGINX);

const CERTS = path.resolve(import.meta.dirname, "../../emulator/certs");

export interface TlsProxy {
  /** Public origin, e.g. https://localhost:4225 */
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export function nginxConfig(listenPort: number, upstreamPort: number): string {
  return `worker_processes 1;
pid nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  # Auth.js splits a large session into several Set-Cookie headers of up to 4 KB each; nginx's default 4 KB
  # buffer for an upstream's response headers would answer 502 to every request that renews the session.
  proxy_buffer_size 16k;
  proxy_buffers 8 16k;
  proxy_busy_buffers_size 32k;
  server {
    listen 127.0.0.1:${listenPort} ssl http2;
    ssl_certificate ${path.join(CERTS, "cert.pem")};
    ssl_certificate_key ${path.join(CERTS, "key.pem")};
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startTlsProxy(listenPort: number, upstreamPort: number): Promise<TlsProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-nginx-"));
  // nginx's workers run as an unprivileged user when it is started as root: they must reach the prefix folder.
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, "nginx.conf"), nginxConfig(listenPort, upstreamPort));
  mkdirSync(path.join(dir, "tmp"), { mode: 0o755 });
  const nginx = startChild(
    "nginx",
    ["-p", dir, "-c", "nginx.conf", "-e", "stderr", "-g", "daemon off;"],
    {},
    {
      command: NGINX,
    },
  );
  const stop = async () => {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await listening(listenPort))) {
    if (!nginx.alive() || Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start on ${listenPort}:\n${nginx.output()}`);
    }
    await sleep(100);
  }
  return { url: `https://localhost:${listenPort}`, output: nginx.output, stop };
}
