#!/bin/sh
# imgalias sync plan: 3 images, the same copies made with skopeo (all platforms, digests kept)
set -eu
skopeo copy --all --preserve-digests 'docker://docker.io/library/redis:7-alpine' 'docker://harbor.corp.local/hub/library/redis:7-alpine'
skopeo copy --all --preserve-digests 'docker://docker.io/minio/minio:latest' 'docker://harbor.corp.local/hub/minio/minio:latest'
skopeo copy --all --preserve-digests 'docker://quay.io/keycloak/keycloak:26.0' 'docker://harbor.corp.local/quay/keycloak/keycloak:26.0'
# finding: docker.io/library/redis@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb names a digest, not a tag: there is no tag to write in Harbor.
# finding: invalid image "Bad Name": invalid reference format: repository name must be lowercase ("Bad Name")
