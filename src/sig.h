/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SIG_H
#define EDRDIAG_SIG_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * How every command is stopped, the same way everywhere: SIGINT, SIGTERM and SIGHUP only
 * note which came, so that the command's own way out runs (run-time stats restored, the
 * sensor detached, the summary written) and says "stopped by SIGINT". SIGPIPE is ignored
 * for the whole run (the dispatcher's sig_ignore_pipe): a reader that goes away shows as
 * EPIPE on the next write, which ends a stream quietly and is not an error; any other
 * failed write is (exit 3, edrdiag(8)).
 */

/* Note the stop signals from now on (no SA_RESTART: a wait they interrupt returns EINTR). */
void sig_catch_stop(void);
/* The stop signal that came, or 0. */
int sig_stopped(void);
/* "SIGINT": the name scripts compare, not strsignal()'s localised words. */
const char *sig_name(int sig, char *buf, size_t len);

/*
 * Race-free waits: block the stop signals everywhere (before any thread starts, so that
 * threads inherit the mask), and unblock them only inside sig_wait_until()'s ppoll. A signal
 * that comes just before the wait still ends it at once.
 */
void sig_block_stop(void);
/* Wait until deadline_ns (util_now_ns()'s clock) or a stop signal. */
void sig_wait_until(__u64 deadline_ns);

/*
 * Wait until fd is readable (1), timeout_ms passes (0; -1 waits for ever) or a stop signal
 * comes (-EINTR), with the stop signals unblocked only inside the wait, as sig_wait_until;
 * -errno on error.
 */
int sig_wait_fd(int fd, int timeout_ms);

/* In a thread that leaves the stop signals to the main thread (the self-test's spawner). */
void sig_block_stop_thread(void);

/*
 * For a command that must not outlive a signal without cleaning up (collect-report's
 * temporary archive and child processes): cleanup runs in the handler, which must only use
 * async-signal-safe calls, and then the signal takes its default course.
 */
void sig_on_stop_cleanup(void (*cleanup)(void));

/* The dispatcher's SIGPIPE policy: ignored, so that EPIPE is seen as a write error. */
void sig_ignore_pipe(void);

#endif
