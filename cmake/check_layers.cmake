# Fails when a file in exporter/<folder>/ includes a header of a folder that is not
# below it (docs/ARCHITECTURE.md, "Layers"). Run by the build (observd_check_layers):
#   cmake -DEXPORTER_DIR=<exporter/> -DSTAMP=<file to touch on success> -P check_layers.cmake
cmake_policy(SET CMP0057 NEW)  # if(... IN_LIST ...)

# model/ is plain data: status/, metrics/ and render/ see it, never the Redis client
# (redis/) or the threaded owners of the data (snapshot/).
set(allowed_util "")
set(allowed_config util)
set(allowed_model util)
set(allowed_redis util model)
set(allowed_store util model)
set(allowed_snapshot util config model redis store)
set(allowed_status util config model)
set(allowed_metrics util config model status)
set(allowed_render util config model status)
set(allowed_http util config model redis snapshot status metrics)
set(allowed_dashboard util config model redis store snapshot status metrics render http)
set(allowed_embedded util)
set(allowed_daemon util config model redis store snapshot status metrics render http dashboard embedded)
set(allowed_demo util redis)
set(folders util config model redis store snapshot status metrics render http dashboard embedded daemon demo)

set(problems "")
foreach(folder IN LISTS folders)
  file(GLOB files ${EXPORTER_DIR}/${folder}/*.h ${EXPORTER_DIR}/${folder}/*.cc)
  foreach(file IN LISTS files)
    file(STRINGS ${file} includes REGEX "^#include \"[a-z_]+/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"([a-z_]+)/.*" "\\1" target "${line}")
      if(NOT target STREQUAL folder AND NOT target IN_LIST allowed_${folder})
        file(RELATIVE_PATH rel ${EXPORTER_DIR} ${file})
        string(APPEND problems "  exporter/${rel}: ${line} (${folder}/ may include only: "
               "${folder} ${allowed_${folder}})\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "upward or sideways includes across exporter/ layers:\n${problems}")
endif()
file(TOUCH ${STAMP})
