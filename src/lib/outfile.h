/* SPDX-License-Identifier: MIT */
/*
 * outfile: open a file compendium streams to (-o, --json, -ff files) the
 * safe way (doc/SAFETY.md, 'Output files'). Not through a symbolic link
 * (O_NOFOLLOW: a link planted at the name is refused, its target is never
 * truncated); created 0600 (the log and the narrative hold what was
 * traced); an existing regular file keeps its mode and is truncated, unless
 * another user owns it in a sticky directory others can write to (/tmp),
 * where it is refused; a FIFO without a reader is waited for with a note
 * instead of blocking silently; a device (/dev/null, a terminal) is used as
 * it is.
 */
#ifndef COMPENDIUM_OUTFILE_H
#define COMPENDIUM_OUTFILE_H

/*
 * Open path for writing. Returns the descriptor (O_CLOEXEC, blocking), or
 * -errno with *why set to a short reason for the user (static text; the
 * caller adds the option and the path).
 */
int outfile_open(const char *path, const char **why);

#endif
