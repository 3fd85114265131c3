#!/bin/sh
# imgalias plan for a registry as the store, internal mode: 3 to tag, 0 conflicts, 1 missing
# each tag as the registry copy imgalias makes, with skopeo: every platform, digests kept
# snapshot: registry (Harbor names by manifest digest)
# policy: (not recorded)
# Review before running. Every argument is single-quoted; the script stops at the first failing command.
set -eu

skopeo copy --all --preserve-digests 'docker://harbor.corp.local/proj/library/redis:7' 'docker://harbor.corp.local/proj/redis:7'  # sha256:aaaaaaaaaaaa, missing name
skopeo copy --all --preserve-digests 'docker://harbor.corp.local/proj/quay.io/keycloak/keycloak:26.0' 'docker://harbor.corp.local/proj/keycloak/keycloak:26.0'  # sha256:bbbbbbbbbbbb, missing name
skopeo copy --all --preserve-digests 'docker://harbor.corp.local/proj/library/nginx:1.27' 'docker://harbor.corp.local/proj/nginx:1.27'  # sha256:cccccccccccc, retarget, replaces sha256:dddddddddddd

# Findings (no command):
# missing: alpine:3 is not in the image store under any of its names (harbor.corp.local/proj/alpine:3); no registry the mode allows has it (internal mode pulls only Harbor copies, and this image has no Harbor name): load it into the store, then run imgalias again.
