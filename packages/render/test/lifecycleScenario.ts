import type { CleanPlan, PublishPlan, PullPlan, SyncPlan } from '@imgalias/core';

/**
 * One plan of each lifecycle kind, written out (as the CLI planned them from packages/cli/test/lifecycle/fixtures)
 * so the renderer goldens do not move when a planner does. Each has findings of its own, so every section renders.
 */

/** prefetch --dry-run, external mode, a Docker Hub mirror, an invalid mirror and a digest request. */
export const pullPlan: PullPlan = {
  version: 1,
  mode: "external",
  entries: [
    {"_tag":"Present","family":"docker.io/library/redis:7-alpine","name":"docker.io/library/redis:7-alpine","imageId":"sha256:2222222222222222222222222222222222222222222222222222222222222222"},
    {"_tag":"Present","family":"docker.io/minio/minio:latest","name":"localhost/minio/minio:latest","imageId":"sha256:1111111111111111111111111111111111111111111111111111111111111111"},
    {"_tag":"Pull","family":"docker.io/osixia/phpldapadmin:0.9.0","lookedFor":["docker.io/osixia/phpldapadmin:0.9.0","localhost/osixia/phpldapadmin:0.9.0","harbor.corp.local/proj/osixia/phpldapadmin:0.9.0"],"candidates":[{"source":"origin","reference":"docker.io/osixia/phpldapadmin:0.9.0","registry":"docker.io","reason":"external-origin"},{"source":"mirror","reference":"mirror.corp:5000/hub/osixia/phpldapadmin:0.9.0","registry":"mirror.corp:5000","reason":"external-mirror","tagAs":"docker.io/osixia/phpldapadmin:0.9.0"},{"source":"harbor","reference":"harbor.corp.local/proj/osixia/phpldapadmin:0.9.0","registry":"harbor.corp.local","reason":"external-harbor-fallback"}]},
    {"_tag":"Pull","family":"quay.io/keycloak/keycloak:26.0","lookedFor":["quay.io/keycloak/keycloak:26.0","harbor.corp.local/proj/keycloak/keycloak:26.0"],"candidates":[{"source":"origin","reference":"quay.io/keycloak/keycloak:26.0","registry":"quay.io","reason":"external-origin"},{"source":"harbor","reference":"harbor.corp.local/proj/keycloak/keycloak:26.0","registry":"harbor.corp.local","reason":"external-harbor-fallback"}]},
  ],
  findings: [
    {"_tag":"InvalidMirror","mirror":"Bad Mirror","reason":"expected host[:port]/project"},
    {"_tag":"DigestReference","reference":"docker.io/library/redis@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
  ],
};

/** publish --dry-run: one name already there, one to tag, one to move off another image, one image missing. */
export const publishPlan: PublishPlan = {
  version: 1,
  entries: [
    {"_tag":"Publish","family":"docker.io/library/redis:7-alpine","source":"docker.io/library/redis:7-alpine","imageId":"sha256:2222222222222222222222222222222222222222222222222222222222222222","target":"harbor.corp.local/proj/redis:7-alpine"},
    {"_tag":"Publish","family":"docker.io/minio/minio:latest","source":"localhost/minio/minio:latest","imageId":"sha256:1111111111111111111111111111111111111111111111111111111111111111","target":"harbor.corp.local/proj/minio/minio:latest","tag":{"_tag":"Tag","source":"localhost/minio/minio:latest","target":"harbor.corp.local/proj/minio/minio:latest","imageId":"sha256:1111111111111111111111111111111111111111111111111111111111111111","family":"docker.io/minio/minio:latest","role":"harbor","reason":"retarget","replaces":"sha256:4444444444444444444444444444444444444444444444444444444444444444"}},
    {"_tag":"Publish","family":"docker.io/osixia/openldap:stable","source":"docker.io/osixia/openldap:stable","imageId":"sha256:3333333333333333333333333333333333333333333333333333333333333333","target":"harbor.corp.local/proj/osixia/openldap:stable","tag":{"_tag":"Tag","source":"docker.io/osixia/openldap:stable","target":"harbor.corp.local/proj/osixia/openldap:stable","imageId":"sha256:3333333333333333333333333333333333333333333333333333333333333333","family":"docker.io/osixia/openldap:stable","role":"harbor","reason":"missing-name"}},
  ],
  findings: [
    {"_tag":"Missing","family":"docker.io/library/nginx:1","lookedFor":["docker.io/library/nginx:1","localhost/nginx:1","harbor.corp.local/proj/nginx:1"],"pull":"docker.io/library/nginx:1"},
  ],
  harbor: {"registry":"harbor.corp.local","project":"proj"},
};

/** clean: three names to untag, a Harbor copy kept, a shared image refused, an absent image noted. */
export const cleanPlan: CleanPlan = {
  version: 1,
  actions: [
    {"_tag":"Untag","name":"docker.io/library/redis:7-alpine","imageId":"sha256:2222222222222222222222222222222222222222222222222222222222222222","family":"docker.io/library/redis:7-alpine","role":"origin"},
    {"_tag":"Untag","name":"localhost/minio/minio:latest","imageId":"sha256:1111111111111111111111111111111111111111111111111111111111111111","family":"docker.io/minio/minio:latest","role":"localhost"},
    {"_tag":"Untag","name":"localhost/redis:7-alpine","imageId":"sha256:2222222222222222222222222222222222222222222222222222222222222222","family":"docker.io/library/redis:7-alpine","role":"localhost"},
  ],
  kept: [
    {"family":"docker.io/library/redis:7-alpine","name":"harbor.corp.local/proj/redis:7-alpine","imageId":"sha256:2222222222222222222222222222222222222222222222222222222222222222","reason":"harbor-copy"},
  ],
  refusals: [
    {"_tag":"SharedImage","family":"docker.io/osixia/openldap:stable","imageId":"sha256:3333333333333333333333333333333333333333333333333333333333333333","names":["docker.io/library/myapp:1"]},
  ],
  findings: [
    {"_tag":"NotPresent","family":"docker.io/library/alpine:3"},
  ],
};

/** sync --dry-run with mirror rules for Docker Hub and quay.io, a digest and an invalid request. */
export const syncPlan: SyncPlan = {
  version: 1,
  entries: [
    {"_tag":"Copy","family":"docker.io/library/redis:7-alpine","source":"docker.io/library/redis:7-alpine","target":"harbor.corp.local/hub/library/redis:7-alpine"},
    {"_tag":"Copy","family":"docker.io/minio/minio:latest","source":"docker.io/minio/minio:latest","target":"harbor.corp.local/hub/minio/minio:latest"},
    {"_tag":"Copy","family":"quay.io/keycloak/keycloak:26.0","source":"quay.io/keycloak/keycloak:26.0","target":"harbor.corp.local/quay/keycloak/keycloak:26.0"},
  ],
  findings: [
    {"_tag":"DigestReference","reference":"docker.io/library/redis@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
    {"_tag":"InvalidRequest","input":"Bad Name","error":{"_tag":"NameContainsUppercase","input":"Bad Name"}},
  ],
};
