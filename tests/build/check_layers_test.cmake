# ctest: cmake/check_layers.cmake must refuse an upward include and accept a
# downward one. Builds two throw-away exporter/ trees under BINARY_DIR.
function(check_tree name folder include expect_ok)
  set(root ${BINARY_DIR}/layers_${name}/exporter)
  file(REMOVE_RECURSE ${BINARY_DIR}/layers_${name})
  file(WRITE ${root}/${folder}/unit.h "#pragma once\n#include \"${include}\"\n")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -DEXPORTER_DIR=${root} -DSTAMP=${BINARY_DIR}/layers_${name}/ok
            -P ${SOURCE_DIR}/cmake/check_layers.cmake
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: a downward include was refused:\n${err}")
  elseif(NOT expect_ok AND rc EQUAL 0)
    message(FATAL_ERROR "${name}: ${folder}/ including ${include} was accepted")
  endif()
endfunction()

check_tree(metrics_to_http metrics "http/response.h" FALSE)
check_tree(render_to_metrics render "metrics/metrics_registry.h" FALSE)
check_tree(util_to_config util "config/config.h" FALSE)
check_tree(http_to_dashboard http "dashboard/site.h" FALSE)
check_tree(dashboard_to_render dashboard "render/partials.h" TRUE)
check_tree(render_to_redis render "redis/redis_client.h" FALSE)
check_tree(status_to_snapshot status "snapshot/snapshot_cache.h" FALSE)
check_tree(metrics_to_redis metrics "redis/endpoint.h" FALSE)
check_tree(model_to_util model "util/duration.h" TRUE)
check_tree(render_to_model render "model/history_view.h" TRUE)
check_tree(status_to_model status "model/app_snapshot.h" TRUE)
check_tree(daemon_to_util daemon "util/clock.h" TRUE)
