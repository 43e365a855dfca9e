# shellcheck shell=sh
# Shared by the DEB postinst and the RPM %post (POSIX sh: RPM scriptlets run
# under /bin/sh). Creates user and group hai and the directories of
# tmpfiles.d/hai.conf; both steps are idempotent.
if command -v systemd-sysusers >/dev/null 2>&1; then
  systemd-sysusers hai.conf
else
  getent group hai >/dev/null || groupadd --system hai
  getent passwd hai >/dev/null || useradd --system --gid hai --home-dir /var/lib/hai \
    --no-create-home --shell /usr/sbin/nologin --comment "HAI appliance daemons" hai
  for group in video render; do
    if getent group "$group" >/dev/null; then usermod -a -G "$group" hai; fi
  done
fi
# systemd-tmpfiles refuses to work without /proc (a chroot): same by hand.
if ! { command -v systemd-tmpfiles >/dev/null 2>&1 && systemd-tmpfiles --create hai.conf; }; then
  mkdir -p /var/lib/hai /etc/hai
  chown hai:hai /var/lib/hai && chmod 0700 /var/lib/hai
  chown root:hai /etc/hai && chmod 0750 /etc/hai
fi
