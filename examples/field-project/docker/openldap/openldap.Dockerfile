FROM \
  osixia/openldap:1.5.0 \
  AS seeded
COPY bootstrap/ /container/service/slapd/assets/config/bootstrap/ldif/custom/

FROM seeded
ENV LDAP_ORGANISATION="Field" \
    LDAP_DOMAIN="field.local"
