/*
 * arg_redact.h — a child's command as hpo stores and prints it: without
 * the secrets in its arguments.
 *
 * `hpo tune` stores the command with the study (the "hpo:cli" attribute,
 * so that `hpo worker` can run it), where anyone who can read the
 * database sees it.  A value that looks like a secret is stored as "***":
 *
 *   --api-key=VALUE, -token=VALUE, DB_PASSWORD=VALUE    (NAME=VALUE forms)
 *   --api-key VALUE, --password VALUE                   (the next word)
 *   scheme://user:PASSWORD@host, ...?password=VALUE     (URLs)
 *
 * where NAME's last part (split at '-', '_' and '.', any case) is key, pw,
 * pwd or auth, or ends in password, passwd, passphrase, secret, token,
 * apikey, accesskey, secretkey, privatekey or credential(s).  Words are
 * looked for inside arguments too (sh -c '... --token=VALUE').  A value
 * that is a placeholder ({name}) is a parameter, not a secret.
 */
#ifndef HPO_CLI_ARG_REDACT_H
#define HPO_CLI_ARG_REDACT_H

/* A copy of the NULL-terminated command with its secrets as "***";
 * malloc'd strings in a malloc'd array, NULL if out of memory. */
char **arg_redact_command(char *const *command);

/* The first argument of a stored command in which a secret was replaced
 * by "***" (it cannot be run as it is), or NULL. */
const char *arg_redacted_in(char *const *command);

#endif
