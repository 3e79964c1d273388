# ctest: observd_site_manifest (run by the front-end build) must accept frontend/ as it
# is and refuse a copy with a panel's template removed, an unlisted page, or a panel
# slot whose data-poll disagrees with the panel table.
#   cmake -DTOOL=<observd_site_manifest> -DSOURCE_DIR=<repo> -DBINARY_DIR=<dir> -P ...
function(check_copy name expect_ok)
  set(dir ${BINARY_DIR}/site_manifest_${name})
  file(REMOVE_RECURSE ${dir})
  file(COPY ${SOURCE_DIR}/frontend/templates ${SOURCE_DIR}/frontend/pages DESTINATION ${dir})
  cmake_language(CALL break_${name} ${dir})
  execute_process(COMMAND ${TOOL} ${dir} ${dir}/manifest.json
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: the intact site was refused:\n${err}")
  elseif(NOT expect_ok AND rc EQUAL 0)
    message(FATAL_ERROR "${name}: a broken site was accepted")
  endif()
endfunction()

function(break_intact dir)
endfunction()
function(break_template dir)
  file(REMOVE ${dir}/templates/stats.mustache)
endfunction()
function(break_page dir)
  file(WRITE ${dir}/pages/unlisted.html "<main></main>\n")
endfunction()
function(break_poll dir)
  file(READ ${dir}/pages/observability.html html)
  string(REPLACE "data-poll=\"5\"" "data-poll=\"6\"" html "${html}")
  file(WRITE ${dir}/pages/observability.html "${html}")
endfunction()

check_copy(intact TRUE)
check_copy(template FALSE)
check_copy(page FALSE)
check_copy(poll FALSE)
