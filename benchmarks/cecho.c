/* A trivial epoll echo server in C: the ceiling the load generator is checked against.
 *
 *   cecho [PORT [spin]]   listens on 127.0.0.1:PORT (0 = any), prints the port on stdout;
 *                         with "spin", polls without ever sleeping (epoll_wait timeout 0), so
 *                         no wake-up latency: the ceiling of what the load generator can drive.
 *
 * One thread, level-triggered epoll, non-blocking sockets. What a read returns is written
 * back; if the socket will not take all of it, reading stops until it drains.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ (1 << 16)

typedef struct {
    int fd;
    size_t off, len;
    char buf[BUFSZ];
} conn_t;

static int epfd;

static void drop(conn_t *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

static void watch(conn_t *c, int out, int op) {
    struct epoll_event ev = {.events = out ? EPOLLOUT : EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, op, c->fd, &ev);
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 0)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 511) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0) {
        perror("cecho");
        return 1;
    }
    printf("%d\n", ntohs(sa.sin_port));
    fflush(stdout);
    epfd = epoll_create1(0);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev);
    struct epoll_event evs[256];
    int timeout = argc > 2 && strcmp(argv[2], "spin") == 0 ? 0 : -1;
    for (;;) {
        int n = epoll_wait(epfd, evs, 256, timeout);
        for (int i = 0; i < n; i++) {
            conn_t *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn_t *nc = malloc(sizeof *nc);
                    nc->fd = fd;
                    nc->off = nc->len = 0;
                    watch(nc, 0, EPOLL_CTL_ADD);
                }
                continue;
            }
            if (c->len == 0) {
                ssize_t r = read(c->fd, c->buf, BUFSZ);
                if (r <= 0) {
                    if (r < 0 && errno == EAGAIN) continue;
                    drop(c);
                    continue;
                }
                c->off = 0;
                c->len = (size_t)r;
            }
            while (c->off < c->len) {
                ssize_t w = write(c->fd, c->buf + c->off, c->len - c->off);
                if (w < 0) break;
                c->off += (size_t)w;
            }
            if (c->off < c->len) {
                if (errno != EAGAIN) {
                    drop(c);
                    continue;
                }
                if (!(evs[i].events & EPOLLOUT)) watch(c, 1, EPOLL_CTL_MOD);
            } else {
                c->len = 0;
                if (evs[i].events & EPOLLOUT) watch(c, 0, EPOLL_CTL_MOD);
            }
        }
    }
}
