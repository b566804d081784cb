// The one place that turns ordinary I/O failures (Node's system errors on a path) into user errors naming the path.

import { CheckerError, FileAccessError } from '../errors.js';

/** What each ordinary system error code means to a user; codes not listed stay internal errors. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists (and is not what is needed here)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links (a link loop?)',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
  ENXIO: 'no such device',
  ETXTBSY: 'the file is busy',
};

/** The verb of the failed system call, so the message says what ssmguard was doing with the path. */
const ACTIONS: Record<string, string> = {
  open: 'cannot open',
  mkdir: 'cannot create the folder',
  scandir: 'cannot list the folder',
  opendir: 'cannot list the folder',
  stat: 'cannot read',
  lstat: 'cannot read',
  read: 'cannot read',
  write: 'cannot write',
  rename: 'cannot replace',
  unlink: 'cannot remove',
  rmdir: 'cannot remove',
  realpath: 'cannot resolve',
  readlink: 'cannot resolve',
  copyfile: 'cannot copy to',
};

interface SystemError {
  code: string;
  path?: unknown;
  dest?: unknown;
  syscall?: unknown;
}

function isSystemError(error: unknown): error is Error & SystemError {
  return error instanceof Error && typeof (error as Partial<SystemError>).code === 'string';
}

/**
 * The user error an ordinary I/O failure means (`--output /no/such/dir/x`, `--out EXISTING_FILE`, an unreadable
 * input), or undefined when `error` is no such failure (a bug stays an internal error). Errors that are already
 * typed pass through unchanged.
 */
export function asUserError(error: unknown): CheckerError | undefined {
  if (error instanceof CheckerError) return error;
  if (!isSystemError(error)) return undefined;
  const meaning = SYSTEM_ERRORS[error.code];
  const path = typeof error.dest === 'string' ? error.dest : error.path;
  if (meaning === undefined || typeof path !== 'string') return undefined;
  const syscall = typeof error.syscall === 'string' ? error.syscall : '';
  const action = ACTIONS[syscall] ?? 'cannot use';
  return new FileAccessError(path, error.code, `${action} ${path}: ${meaning} (${error.code})`, {
    cause: error,
  });
}
