/**
 * The real-daemon suite (issue 12): Debian daemons run from their own packages and units in a lab, each with a
 * functional check that proves it serves ({@link dev.unitguard.daemons.Daemon}, catalogue in
 * {@link dev.unitguard.daemons.Daemons}), a hand-written manifest ({@code src/test/resources/daemons/NAME.requires.json})
 * and candidates from strict to loose. {@link dev.unitguard.daemons.DaemonLab} prepares one lab for all of them and
 * finds the truth of any directive set ({@code truth(daemon, candidate)}: drop-in, restart, functional check), so
 * that a pipeline such as learn, recommend, apply (issue 14) can be judged on the same daemons:
 * {@code DaemonLab.prepare(lab, Daemons.all())}, then per daemon {@code restart}, {@code serves}, {@code truth}.
 */
package dev.unitguard.daemons;
