#!/usr/bin/env bash
# Back up the course site: the database (pg_dump, custom format) and the submitted files (MEDIA_ROOT),
# into BACKUP_DIR (default /var/backups/coursesite), one dated pair a run; keeps the last KEEP (14).
# Run daily from root's crontab on the web machine, and copy BACKUP_DIR off the machine:
#   15 3 * * * /srv/coursesite/deploy/backup.sh
# Restore: pg_restore --clean --if-exists -d "$DATABASE_URL" coursesite-DATE.dump;
#          tar -xzf media-DATE.tar.gz -C "$(dirname "$MEDIA_ROOT")"
set -euo pipefail
set -a
. "${ENV_FILE:-/etc/coursesite/coursesite.env}"
set +a
BACKUP_DIR="${BACKUP_DIR:-/var/backups/coursesite}"
KEEP="${KEEP:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"
pg_dump --format=custom --file="$BACKUP_DIR/coursesite-$stamp.dump" "$DATABASE_URL"
tar -czf "$BACKUP_DIR/media-$stamp.tar.gz" -C "$(dirname "$MEDIA_ROOT")" "$(basename "$MEDIA_ROOT")"
# Only the newest KEEP of each kind stay.
for kind in coursesite-*.dump media-*.tar.gz; do
  ls -1t "$BACKUP_DIR"/$kind 2>/dev/null | tail -n +"$((KEEP + 1))" | xargs -r rm --
done
echo "backed up to $BACKUP_DIR/coursesite-$stamp.dump and media-$stamp.tar.gz"
