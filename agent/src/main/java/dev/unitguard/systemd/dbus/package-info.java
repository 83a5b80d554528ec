/**
 * dbus-java bindings for the parts of {@code org.freedesktop.systemd1} that unitguard uses. Public only because
 * dbus-java builds proxies, structs and signals by reflection; callers use {@link dev.unitguard.systemd.SystemdClient}.
 */
package dev.unitguard.systemd.dbus;
