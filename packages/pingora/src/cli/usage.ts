/** `zp --help`. */
export const ZP_USAGE = `zp: a reverse proxy built on zingora

Usage:
  zp --conf <zp.yaml> [-d]            run a proxy from a configuration file
  zp -t --conf <zp.yaml>              check a configuration file and exit
  zp --demo [--listen <addr:port>] [--admin <addr:port>|off]
                                      run a demo proxy in front of three built-in upstreams
  zp reverse-proxy --from <addr:port> --to <addr:port> [--to ...] [options]
                                      proxy to a few backends without a file (zp reverse-proxy --help)
  zp --help | --version

Options:
  -c, --conf <file>    the YAML configuration (server keys and a proxy: section)
  -t, --test           validate the configuration and exit (0: OK, 1: errors listed)
  -d, --daemon         run in the background
  -u, --upgrade        accepted for compatibility (SIGQUIT upgrades in place)
      --demo           run the demo (default listen 0.0.0.0:8080, admin 127.0.0.1:9091)
      --listen <a:p>   where the demo proxy listens
      --admin <a:p>    where the demo's admin listener binds (metrics, health); "off": none
  -h, --help           print this help
  -V, --version        print the version

Signals: SIGTERM graceful shutdown, SIGINT fast shutdown, SIGQUIT zero-downtime upgrade.
`;

/** `zp reverse-proxy --help`. */
export const REVERSE_PROXY_USAGE = `Usage: zp reverse-proxy --from <addr:port> --to <addr:port> [--to <addr:port> ...] [options]

Proxies every request arriving on --from to the --to backends, with active TCP health
checks (or HTTP ones with --health-path), passive health and retries on another backend.

Options:
      --from <addr:port>   where to listen (default 0.0.0.0:8080; ":8080" = all interfaces)
      --to <addr:port>     a backend (repeat for several); "https://host:port" speaks TLS to it
      --lb <algorithm>     round_robin (default), weighted_round_robin, least_conn, random, p2c, ketama, fnv
      --tls-cert <file>    serve HTTPS on --from with this certificate (PEM) ...
      --tls-key <file>     ... and this key
      --health-path <path> check backends with GET <path> instead of a TCP connect
      --admin <addr:port>  serve /metrics and /health there
      --retries <n>        retries on another backend after a failure (default 3)
      --access-log <dest>  stdout, off (default) or a file path
  -h, --help               print this help
`;
