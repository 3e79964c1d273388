# CPack configuration of the observd .deb (cpack -G DEB in the build directory).
# Included last from the top-level CMakeLists.txt. The binaries (exporter/) and the
# site (frontend/, to /usr/share/observd) install themselves; this file adds the
# configuration, the systemd unit, the Debian docs and examples, and the control
# files (conffiles, maintainer scripts) kept in packaging/debian/.

set(_pkg ${CMAKE_CURRENT_LIST_DIR})
set(_systemd ${CMAKE_CURRENT_LIST_DIR}/../systemd)

# --- Files ------------------------------------------------------------------
# Paths under /etc and /lib are absolute on purpose: the unit hard-codes them
# (ExecStart, EnvironmentFile) and Debian puts them there whatever the prefix.
set(OBSERVD_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/observd)

install(FILES ${_pkg}/observd.yml DESTINATION /etc/observd
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${_pkg}/observd.default DESTINATION /etc/default RENAME observd
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${_systemd}/observd.service ${_systemd}/observd@.service
              ${_systemd}/observd-redis-tunnel.service
        DESTINATION /lib/systemd/system)
install(FILES ${_systemd}/observd.sysusers DESTINATION lib/sysusers.d RENAME observd.conf)

# changelog.Debian.gz and the man page: gzip -n (no name or time stamp) -9, as
# Debian policy asks, redone at configure time whenever the source changes.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/packaging)
function(observd_gzip src dst)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  execute_process(COMMAND gzip -n -9 -c ${src} OUTPUT_FILE ${dst} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip -n -9 ${src} failed: ${rc}")
  endif()
endfunction()
set(_changelog ${_pkg}/debian/changelog)
set(_changelog_gz ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz)
observd_gzip(${_changelog} ${_changelog_gz})
foreach(_page observd.1 observd-demo.1)
  configure_file(${_pkg}/man/${_page}.in ${CMAKE_BINARY_DIR}/packaging/${_page} @ONLY)
  observd_gzip(${CMAKE_BINARY_DIR}/packaging/${_page} ${CMAKE_BINARY_DIR}/packaging/${_page}.gz)
  install(FILES ${CMAKE_BINARY_DIR}/packaging/${_page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
file(STRINGS ${_changelog} _changelog_head LIMIT_COUNT 1)
if(NOT _changelog_head MATCHES "^observd \\(${PROJECT_VERSION}\\) ")
  message(WARNING "packaging/debian/changelog starts with '${_changelog_head}' "
                  "but the project version is ${PROJECT_VERSION}: add a changelog entry")
endif()

install(FILES ${_pkg}/debian/copyright ${_changelog_gz} ${_pkg}/debian/README.Debian
        DESTINATION ${OBSERVD_DOC_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${OBSERVD_DOC_DIR} OPTIONAL)
install(FILES ${_pkg}/web-config.example.yml
              ${_pkg}/prometheus/observd-alerts.yml
              ${_pkg}/prometheus/observd-alerts.test.yml
              ${_pkg}/prometheus/observd-rules.yml
              ${_pkg}/prometheus/observd-rules.test.yml
        DESTINATION ${OBSERVD_DOC_DIR}/examples)
install(FILES ${_pkg}/nginx/observd.conf
        DESTINATION ${OBSERVD_DOC_DIR}/examples RENAME nginx-observd.conf)
install(DIRECTORY ${_pkg}/fail2ban DESTINATION ${OBSERVD_DOC_DIR}/examples)
install(FILES ${_pkg}/stunnel/observd-redis-tunnel.conf
        DESTINATION ${OBSERVD_DOC_DIR}/examples/stunnel)
install(FILES ${_pkg}/prometheus/observd.yml
        DESTINATION ${OBSERVD_DOC_DIR}/examples RENAME prometheus-observd.yml)
install(FILES ${_pkg}/grafana/observd.json
        DESTINATION ${OBSERVD_DOC_DIR}/examples RENAME grafana-observd.json)

# --- Package metadata ---------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME observd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "observd contributors")
set(OBSERVD_DEB_MAINTAINER
    "observd maintainers <observd-maintainers@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT ${OBSERVD_DEB_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${OBSERVD_DEB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Prometheus exporter and live dashboard for a Redis-backed application")
# The synopsis is the summary above; CPack indents these lines and turns the
# empty ones into " ." for the control file.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "observd reads an application's activity (uploads, active users, workflow
runs) from Redis with indexed queries only, caches one shared snapshot, and
exports it with its own Redis, cache and HTTP health as Prometheus metrics.

The same port serves a live observability site (HTMX and Chart.js, no CDN,
works air-gapped) whose panels refresh by polling or Server-Sent Events.

The package runs observd as a sandboxed systemd service on 127.0.0.1:9469 and
ships examples for nginx (HTTPS), Prometheus (scrape config and alert rules),
Grafana (dashboard) and basic authentication.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)

# Library dependencies come from dpkg-shlibdeps; adduser is what postinst uses.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-server, nginx, prometheus, stunnel4")

set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_pkg}/debian/conffiles
    ${_pkg}/debian/postinst
    ${_pkg}/debian/prerm
    ${_pkg}/debian/postrm)
# 0755 for the scripts, 0644 for conffiles, whatever the checkout's modes are.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

# make package_source: the tree without checkouts' build products.
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build[^/]*/" "/node_modules/" "/_CPack_Packages/")

include(CPack)

# --- Checks -----------------------------------------------------------------
# tests/packaging/ as ctest tests, labelled "packaging" (ctest -L packaging; skip
# with -LE packaging). check_nginx also starts redis-server and nginx, check_tls
# scans that same nginx front with sslscan, check_deb runs cpack and lintian (about
# a minute).
if(OBSERVD_BUILD_TESTS)
  set(_checks ${CMAKE_SOURCE_DIR}/tests/packaging)
  add_test(NAME packaging.unit COMMAND ${_checks}/check_unit.sh $<TARGET_FILE:observd>)
  add_test(NAME packaging.rules COMMAND ${_checks}/check_rules.sh)
  add_test(NAME packaging.grafana COMMAND ${_checks}/check_grafana.py)
  add_test(NAME packaging.notify COMMAND ${_checks}/check_notify.py $<TARGET_FILE:observd>)
  add_test(NAME packaging.nginx COMMAND ${_checks}/check_nginx.sh $<TARGET_FILE_DIR:observd>)
  add_test(NAME packaging.tls COMMAND ${_checks}/check_tls.sh $<TARGET_FILE_DIR:observd>)
  add_test(NAME packaging.deb COMMAND ${_checks}/check_deb.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(packaging.unit packaging.rules packaging.grafana packaging.notify
                       packaging.nginx packaging.deb PROPERTIES LABELS packaging TIMEOUT 300)
  set_tests_properties(packaging.nginx PROPERTIES LABELS "packaging;redis")
  # 7-15 s here (mostly start-up; the scan itself takes about 0.5 s).
  set_tests_properties(packaging.tls PROPERTIES LABELS "packaging;redis" TIMEOUT 120)
endif()
