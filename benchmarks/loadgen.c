/* twnet benchmark load generator: one thread, epoll, non-blocking sockets, 127.0.0.1 only.
 *
 * Compiled at run time by benchmarks/run.py (gcc -O2). Every echoed byte is checked; any
 * mismatch, reset or early EOF makes the run fail (exit status 2). Every run is bounded in
 * time: a hard alarm() ends the process if it overstays.
 *
 *   loadgen pingpong PORT -c CONNS -s SIZE -d SECONDS -w WARMUP
 *       each connection sends SIZE bytes, waits for all SIZE back, verifies, repeats.
 *       Reports round trips/s and latency percentiles over the measured window.
 *   loadgen bulk PORT -c CONNS -s WRITE -d SECONDS -w WARMUP
 *       each connection streams a pattern in WRITE-byte send() calls (at most 1 MiB in
 *       flight) and verifies the echo. Reports echoed MB/s (10^6 bytes/s).
 *   loadgen connect PORT -c CONCURRENCY -s SIZE -d SECONDS -w WARMUP [-n COUNT]
 *       connect, send SIZE bytes, read them back, close; CONCURRENCY cycles in flight.
 *       Reports connections/s; with -n, stops after COUNT cycles instead of the duration.
 *   loadgen idle PORT -c TOTAL [-t STEP]
 *       opens connections STEP at a time (default TOTAL), each does a 1-byte round trip;
 *       after each step prints "READY <open>" and waits for a line on stdin; EOF or a
 *       line "quit" closes everything. Reports nothing timed.
 *
 * The result is one JSON object on stdout, with the generator's own CPU use
 * (getrusage) over the measured window, so a run can show the generator was not the
 * bottleneck.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAXMSG 4096
#define BULK_WINDOW (1u << 20)
#define PATTERN_PERIOD 251
#define MAX_EVENTS 512

enum { M_PINGPONG, M_BULK, M_CONNECT, M_IDLE };

typedef struct {
    int fd;
    int id;
    int connecting;
    int want_out;
    uint32_t seq;
    size_t woff;  /* bytes of msg already sent */
    size_t rgot;  /* bytes of the echo received */
    uint64_t t0;  /* send time of the current message (ns) */
    uint64_t soff, roff; /* bulk: stream offsets sent / received */
    size_t chunk_left;   /* bulk: bytes left of the current WRITE-byte send */
    unsigned char msg[MAXMSG];
} conn_t;

static int mode, nconns = 1, size = 64, step = 0;
static double duration = 5.0, warmup = 1.0;
static long count_limit = 0;
static int port;
static int epfd;
static conn_t *conns;
static unsigned char pattern[(1u << 16) + 2 * PATTERN_PERIOD];
static uint32_t *lat;
static size_t nlat, caplat;
static uint64_t t_start, t_end; /* measured window */
static int measuring, stopping;
static long ops, total_ops, open_count, in_flight;
static uint64_t bytes_in_window;
static struct rusage ru_start, ru_end;
static uint64_t ru_wall_start, ru_wall_end;
static int ru_started, ru_ended;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    printf("{\"error\": \"%s: %s\"}\n", what, strerror(errno));
    fflush(stdout);
    exit(2);
}

static void fail(const char *what, int id) {
    fprintf(stderr, "loadgen: connection %d: %s\n", id, what);
    printf("{\"error\": \"connection %d: %s\"}\n", id, what);
    fflush(stdout);
    exit(2);
}

static void raise_nofile(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void add_lat(uint64_t ns) {
    if (nlat == caplat) {
        caplat = caplat ? caplat * 2 : 1 << 16;
        lat = realloc(lat, caplat * sizeof *lat);
        if (!lat) die("realloc");
    }
    lat[nlat++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(double p) {
    if (!nlat) return 0;
    size_t i = (size_t)(p * (double)(nlat - 1) + 0.5);
    return lat[i] / 1000.0;
}

static void set_events(conn_t *c, int out) {
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl mod");
    c->want_out = out;
}

static void open_conn(conn_t *c) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) die("connect");
    c->fd = fd;
    c->connecting = 1;
    c->woff = c->rgot = 0;
    c->soff = c->roff = 0;
    c->chunk_left = 0;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl add");
    c->want_out = 1;
    in_flight++;
}

static void close_conn(conn_t *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    in_flight--;
}

static void fill_msg(conn_t *c, size_t n) {
    for (size_t i = 0; i < n; i++) c->msg[i] = (unsigned char)(c->seq * 31u + i * 7u + (unsigned)c->id);
    c->seq++;
}

/* Send what is left of c->msg; 0 when all sent, 1 when the socket is full. */
static int flush_msg(conn_t *c, size_t n) {
    while (c->woff < n) {
        ssize_t w = send(c->fd, c->msg + c->woff, n - c->woff, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN) return 1;
            fail(strerror(errno), c->id);
        }
        c->woff += (size_t)w;
    }
    return 0;
}

static void start_msg(conn_t *c, size_t n) {
    fill_msg(c, n);
    c->woff = c->rgot = 0;
    c->t0 = now_ns();
    int blocked = flush_msg(c, n);
    if (blocked != c->want_out) set_events(c, blocked);
}

static void window_check(uint64_t t) {
    if (!measuring && !stopping && t >= t_start) {
        measuring = 1;
        getrusage(RUSAGE_SELF, &ru_start);
        ru_wall_start = t;
        ru_started = 1;
    }
    if (measuring && t >= t_end && mode != M_CONNECT) {
        measuring = 0;
        stopping = 1;
        getrusage(RUSAGE_SELF, &ru_end);
        ru_wall_end = t;
        ru_ended = 1;
    }
}

static void end_window_now(uint64_t t) {
    if (!ru_ended) {
        getrusage(RUSAGE_SELF, &ru_end);
        ru_wall_end = t;
        ru_ended = 1;
    }
    measuring = 0;
    stopping = 1;
}

/* ---- ping-pong and connect: fixed-size echo ---- */

static void on_echo_readable(conn_t *c) {
    size_t n = mode == M_IDLE ? 1 : (size_t)size;
    unsigned char buf[MAXMSG];
    for (;;) {
        ssize_t r = recv(c->fd, buf, sizeof buf, 0);
        if (r < 0) {
            if (errno == EAGAIN) return;
            fail(strerror(errno), c->id);
        }
        if (r == 0) fail("unexpected EOF", c->id);
        if (c->rgot + (size_t)r > n) fail("more bytes than were sent", c->id);
        if (memcmp(buf, c->msg + c->rgot, (size_t)r) != 0) fail("echoed bytes differ", c->id);
        c->rgot += (size_t)r;
        if (c->rgot < n) continue;
        uint64_t t = now_ns();
        window_check(t);
        total_ops++;
        if (measuring) {
            ops++;
            add_lat(t - c->t0);
        }
        if (mode == M_PINGPONG) {
            if (stopping) {
                close_conn(c);
                return;
            }
            start_msg(c, n);
            return;
        }
        if (mode == M_IDLE) {
            open_count++;
            in_flight--;
            c->connecting = 2; /* open and idle */
            return;
        }
        /* connect mode: close and start over */
        close_conn(c);
        if (count_limit && total_ops >= count_limit) {
            end_window_now(t);
            return;
        }
        if (mode == M_CONNECT && t >= t_end && count_limit == 0) {
            end_window_now(t);
            return;
        }
        if (!stopping) {
            open_conn(c);
            c->t0 = t;
        }
        return;
    }
}

static void on_writable(conn_t *c) {
    if (c->connecting == 1) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            errno = err;
            fail(strerror(err), c->id);
        }
        c->connecting = 0;
        if (mode == M_BULK) return;
        uint64_t t0 = c->t0;
        start_msg(c, mode == M_IDLE ? 1 : (size_t)size);
        if (mode == M_CONNECT) c->t0 = t0; /* latency of the whole cycle */
        return;
    }
    if (mode != M_BULK) {
        int blocked = flush_msg(c, mode == M_IDLE ? 1 : (size_t)size);
        if (blocked != c->want_out) set_events(c, blocked);
    }
}

/* ---- bulk ---- */

static void bulk_pump(conn_t *c) {
    if (c->connecting == 1) on_writable(c);
    if (c->connecting) return;
    int blocked = 0;
    while (!stopping && c->soff - c->roff < BULK_WINDOW) {
        if (c->chunk_left == 0) c->chunk_left = (size_t)size;
        size_t room = BULK_WINDOW - (size_t)(c->soff - c->roff);
        size_t n = c->chunk_left < room ? c->chunk_left : room;
        size_t off = (size_t)(c->soff % PATTERN_PERIOD);
        ssize_t w = send(c->fd, pattern + off, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN) {
                blocked = 1;
                break;
            }
            fail(strerror(errno), c->id);
        }
        c->soff += (uint64_t)w;
        c->chunk_left -= (size_t)w;
    }
    if (blocked != c->want_out) set_events(c, blocked);
}

static void bulk_readable(conn_t *c) {
    static unsigned char buf[1 << 16];
    for (;;) {
        ssize_t r = recv(c->fd, buf, sizeof buf, 0);
        if (r < 0) {
            if (errno == EAGAIN) break;
            fail(strerror(errno), c->id);
        }
        if (r == 0) fail("unexpected EOF", c->id);
        if (c->roff + (uint64_t)r > c->soff) fail("more bytes than were sent", c->id);
        size_t off = (size_t)(c->roff % PATTERN_PERIOD);
        if (memcmp(buf, pattern + off, (size_t)r) != 0) fail("echoed bytes differ", c->id);
        c->roff += (uint64_t)r;
        uint64_t t = now_ns();
        window_check(t);
        if (measuring) bytes_in_window += (uint64_t)r;
    }
    if (stopping && c->roff == c->soff) {
        close_conn(c);
        return;
    }
    bulk_pump(c);
}

static void usage(void) {
    fprintf(stderr, "usage: loadgen pingpong|bulk|connect|idle PORT [-c N] [-s SIZE] [-d SEC] [-w SEC] [-n COUNT] [-t STEP]\n");
    exit(64);
}

static double tv(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

static void report(void) {
    double window = ru_ended && ru_started ? (double)(ru_wall_end - ru_wall_start) / 1e9 : 0;
    double ucpu = 0, scpu = 0;
    if (ru_started && ru_ended) {
        ucpu = tv(ru_end.ru_utime) - tv(ru_start.ru_utime);
        scpu = tv(ru_end.ru_stime) - tv(ru_start.ru_stime);
    }
    qsort(lat, nlat, sizeof *lat, cmp_u32);
    static const char *names[] = {"pingpong", "bulk", "connect", "idle"};
    printf("{\"mode\": \"%s\", \"conns\": %d, \"size\": %d, \"window_s\": %.6f, \"ops\": %ld, "
           "\"ops_per_s\": %.3f, \"bytes\": %llu, \"mb_per_s\": %.3f, \"p50_us\": %.2f, "
           "\"p99_us\": %.2f, \"p999_us\": %.2f, \"max_us\": %.2f, \"total_ops\": %ld, "
           "\"cpu_user_s\": %.4f, \"cpu_sys_s\": %.4f, \"cpu_frac\": %.4f}\n",
           names[mode], nconns, size, window, ops, window > 0 ? (double)ops / window : 0.0,
           (unsigned long long)bytes_in_window,
           window > 0 ? (double)bytes_in_window / window / 1e6 : 0.0, pct(0.5), pct(0.99),
           pct(0.999), nlat ? lat[nlat - 1] / 1000.0 : 0.0, total_ops, ucpu, scpu,
           window > 0 ? (ucpu + scpu) / window : 0.0);
    fflush(stdout);
}

static void run_idle(void) {
    int total = nconns, per = step > 0 ? step : nconns, opened = 0;
    struct epoll_event evs[MAX_EVENTS];
    char line[64];
    while (opened < total) {
        int target = opened + per > total ? total : opened + per;
        /* at most 256 handshakes in flight, so no listen backlog overflows */
        while (open_count < target) {
            while (opened < target && in_flight < 256) {
                conns[opened].id = opened;
                open_conn(&conns[opened]);
                opened++;
            }
            int n = epoll_wait(epfd, evs, MAX_EVENTS, 1000);
            if (n < 0 && errno != EINTR) die("epoll_wait");
            for (int i = 0; i < n; i++) {
                conn_t *c = evs[i].data.ptr;
                if (c->fd < 0) continue;
                if (evs[i].events & (EPOLLERR | EPOLLHUP) && c->connecting == 1) {
                    on_writable(c);
                    continue;
                }
                if ((evs[i].events & EPOLLOUT) && c->connecting == 1) on_writable(c);
                if (c->connecting != 1 && (evs[i].events & EPOLLIN)) {
                    if (c->connecting == 2) fail("data on an idle connection", c->id);
                    on_echo_readable(c);
                }
                if (c->connecting == 2 && c->want_out) set_events(c, 0);
            }
        }
        printf("READY %ld\n", open_count);
        fflush(stdout);
        alarm(600);
        if (!fgets(line, sizeof line, stdin) || strncmp(line, "quit", 4) == 0) break;
    }
    for (int i = 0; i < opened; i++)
        if (conns[i].fd >= 0) close(conns[i].fd);
    printf("{\"mode\": \"idle\", \"conns\": %d, \"open\": %ld}\n", total, open_count);
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 3) usage();
    if (!strcmp(argv[1], "pingpong")) mode = M_PINGPONG;
    else if (!strcmp(argv[1], "bulk")) mode = M_BULK;
    else if (!strcmp(argv[1], "connect")) mode = M_CONNECT;
    else if (!strcmp(argv[1], "idle")) mode = M_IDLE;
    else usage();
    port = atoi(argv[2]);
    int opt;
    optind = 3;
    while ((opt = getopt(argc, argv, "c:s:d:w:n:t:")) != -1) {
        switch (opt) {
        case 'c': nconns = atoi(optarg); break;
        case 's': size = atoi(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case 'n': count_limit = atol(optarg); break;
        case 't': step = atoi(optarg); break;
        default: usage();
        }
    }
    if (nconns < 1 || size < 1 || (mode != M_BULK && size > MAXMSG) || size > (1 << 16)) usage();
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    for (size_t i = 0; i < sizeof pattern; i++) pattern[i] = (unsigned char)(i % PATTERN_PERIOD);
    conns = calloc((size_t)nconns, sizeof *conns);
    if (!conns) die("calloc");
    epfd = epoll_create1(0);
    if (epfd < 0) die("epoll_create1");

    if (mode == M_IDLE) {
        alarm(600);
        run_idle();
        return 0;
    }
    /* hard bound: the run, plus time to drain, plus slack */
    alarm((unsigned)(warmup + duration + 30));
    uint64_t t0 = now_ns();
    t_start = t0 + (uint64_t)(warmup * 1e9);
    t_end = t_start + (uint64_t)(duration * 1e9);
    if (count_limit) t_start = t0, t_end = UINT64_MAX;
    for (int i = 0; i < nconns; i++) {
        conns[i].id = i;
        open_conn(&conns[i]);
        conns[i].t0 = t0;
    }
    struct epoll_event evs[MAX_EVENTS];
    uint64_t drain_deadline = 0;
    while (in_flight > 0) {
        int n = epoll_wait(epfd, evs, MAX_EVENTS, 100);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        uint64_t t = now_ns();
        window_check(t);
        if (mode == M_CONNECT && t >= t_end && !count_limit) end_window_now(t);
        if (stopping && !drain_deadline) drain_deadline = t + 10ull * 1000000000ull;
        if (drain_deadline && t > drain_deadline) fail("echo did not complete within 10 s", -1);
        for (int i = 0; i < n; i++) {
            conn_t *c = evs[i].data.ptr;
            if (c->fd < 0) continue;
            if (mode == M_BULK) {
                if (evs[i].events & EPOLLIN) bulk_readable(c);
                else bulk_pump(c);
                if (c->fd >= 0 && stopping && !c->connecting && c->roff == c->soff) close_conn(c);
                continue;
            }
            if (c->connecting == 1) {
                if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_writable(c);
                continue;
            }
            if (evs[i].events & EPOLLIN) on_echo_readable(c);
            if (c->fd >= 0 && (evs[i].events & EPOLLOUT)) on_writable(c);
        }
    }
    report();
    return 0;
}
