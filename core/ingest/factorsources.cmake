# Pure factor and overlay computation (FAC-*, OVL-1..3); no database. Included from
# core/CMakeLists.txt until core/ingest gets its own CMakeLists.
target_sources(gapless_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/factorcomputation.cpp ${CMAKE_CURRENT_LIST_DIR}/factorcomputation.h
    ${CMAKE_CURRENT_LIST_DIR}/factorevent.cpp ${CMAKE_CURRENT_LIST_DIR}/factorevent.h
    ${CMAKE_CURRENT_LIST_DIR}/factorfingerprint.cpp ${CMAKE_CURRENT_LIST_DIR}/factorfingerprint.h
    ${CMAKE_CURRENT_LIST_DIR}/overlaydefinition.cpp ${CMAKE_CURRENT_LIST_DIR}/overlaydefinition.h
    ${CMAKE_CURRENT_LIST_DIR}/pentracker.cpp ${CMAKE_CURRENT_LIST_DIR}/pentracker.h
    ${CMAKE_CURRENT_LIST_DIR}/pivotdetector.cpp ${CMAKE_CURRENT_LIST_DIR}/pivotdetector.h
)
