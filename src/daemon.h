/*
 * daemon.h: `evfeed serve`: build, serve, watch, rebuild. One GLib main
 * loop owns all mutable state; the HTTP threads only read snapshots.
 */
#pragma once

#include <glib.h>

/* Runs until SIGTERM or SIGINT; returns the exit status. @listen
 * (nullable) overrides [server] listen. */
int evf_daemon_run(const char *config_path, const char *listen);
