/*
 * fail-sync.c: an LD_PRELOAD shim for tests/integration/adversity.sh
 * (HARDENING.md E8): fsync, fdatasync and syncfs that fail with EIO, the
 * way a disk that lost a write answers, without flushing anything.
 *
 *   EVFEED_FAIL_SYNC       the calls that fail, separated by commas
 *                          ("syncfs", "fsync,fdatasync"); unset: none
 *   EVFEED_FAIL_SYNC_PATH  only on a file or folder whose path starts with
 *                          this (absolute, as /proc/self/fd shows it);
 *                          unset: everywhere
 *   EVFEED_FAIL_SYNC_LOG   a file that gets one line "CALL PATH" for every
 *                          call made to fail, so that a test can count the
 *                          retries
 *   EVFEED_FAIL_RENAME     rename and renameat2 onto a path that ends with
 *                          this fail with EIO (a disk going bad half-way
 *                          through putting a build's files in place)
 *   EVFEED_FAIL_THREADS    set: pthread_create fails with EAGAIN, as when a
 *                          process is at its limit of tasks (systemd's
 *                          TasksMax) or of memory
 *   EVFEED_SYNC_HOLD       a path: the first syncfs creates PATH.held and
 *                          waits until PATH exists, so that a test acts in
 *                          the middle of a build, its files written and
 *                          not yet renamed into place
 *   EVFEED_CLOCK_STEP_FILE a file holding a number of seconds that the wall
 *                          clock (CLOCK_REALTIME, gettimeofday) is moved
 *                          by, read at every reading of the clock: a test
 *                          steps the clock of a running process by writing
 *                          it (HARDENING.md E9); the monotonic and boot
 *                          clocks go on as they were
 *
 * Every other call goes straight to the system call. libc only, no GLib:
 * the shim must load into any build of evfeed, the sanitizer one included.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Whether @call is listed in the comma-separated @list. */
static int
listed(const char *list, const char *call)
{
	size_t n = strlen(call);

	while (list != NULL && *list != '\0') {
		const char *end = strchr(list, ',');
		size_t len = end != NULL ? (size_t)(end - list) : strlen(list);

		if (len == n && strncmp(list, call, n) == 0)
			return 1;
		list = end != NULL ? end + 1 : NULL;
	}
	return 0;
}

static int
should_fail(const char *call, int fd)
{
	const char *under = getenv("EVFEED_FAIL_SYNC_PATH");
	const char *log = getenv("EVFEED_FAIL_SYNC_LOG");
	char link[64];
	char path[PATH_MAX];
	ssize_t len;

	if (!listed(getenv("EVFEED_FAIL_SYNC"), call))
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	len = readlink(link, path, sizeof path - 1);
	if (len < 0)
		return 0;
	path[len] = '\0';
	if (under != NULL && strncmp(path, under, strlen(under)) != 0)
		return 0;
	if (log != NULL) {
		int out =
		    open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

		if (out >= 0) {
			dprintf(out, "%s %s\n", call, path);
			close(out);
		}
	}
	return 1;
}

/* @call on @fd: EIO when it is to fail, else the system call @number. */
static int
sync_call(const char *call, long number, int fd)
{
	if (should_fail(call, fd)) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(number, fd);
}

int
fsync(int fd)
{
	return sync_call("fsync", SYS_fsync, fd);
}

int
fdatasync(int fd)
{
	return sync_call("fdatasync", SYS_fdatasync, fd);
}

/* EVFEED_SYNC_HOLD: the first call says so, then waits to be let go. */
static void
hold(void)
{
	static int held;
	const char *path = getenv("EVFEED_SYNC_HOLD");
	char mark[PATH_MAX];
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int fd;

	if (path == NULL || __atomic_exchange_n(&held, 1, __ATOMIC_SEQ_CST))
		return;
	snprintf(mark, sizeof mark, "%s.held", path);
	fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	while (access(path, F_OK) != 0)
		nanosleep(&pause, NULL);
}

int
syncfs(int fd)
{
	hold();
	return sync_call("syncfs", SYS_syncfs, fd);
}

/* Whether a rename onto @to is to fail (EVFEED_FAIL_RENAME). */
static int
rename_fails(const char *to)
{
	const char *end = getenv("EVFEED_FAIL_RENAME");
	size_t n = end != NULL ? strlen(end) : 0, len = strlen(to);

	if (n == 0 || len < n || strcmp(to + len - n, end) != 0)
		return 0;
	errno = EIO;
	return 1;
}

int
renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
          unsigned int flags)
{
	if (rename_fails(newpath))
		return -1;
	return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
	                    flags);
}

int
rename(const char *oldpath, const char *newpath)
{
	if (rename_fails(newpath))
		return -1;
	return (int)syscall(SYS_renameat2, AT_FDCWD, oldpath, AT_FDCWD, newpath,
	                    0);
}

int
pthread_create(pthread_t *thread, const pthread_attr_t *attr,
               void *(*start)(void *), void *arg)
{
	int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *),
	            void *);

	if (getenv("EVFEED_FAIL_THREADS") != NULL)
		return EAGAIN;
	*(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
	return real != NULL ? real(thread, attr, start, arg) : EAGAIN;
}

/* The seconds in EVFEED_CLOCK_STEP_FILE; 0 when unset or unreadable. */
static long long
clock_step(void)
{
	const char *path = getenv("EVFEED_CLOCK_STEP_FILE");
	char buf[32];
	ssize_t n;
	int fd;

	if (path == NULL)
		return 0;
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	int r = (int)syscall(SYS_clock_gettime, id, ts);

	if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
		ts->tv_sec += (time_t)clock_step();
	return r;
}

int
gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}
