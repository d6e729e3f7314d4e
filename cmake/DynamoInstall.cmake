# Install rules: headers, libraries, dynamo-server, the CMake package (dynamoConfig.cmake,
# dynamoConfigVersion.cmake, targets dynamo::dynamo and dynamo::<layer>) and dynamo.pc.
#
#   cmake --install build --prefix /opt/dynamo
#   find_package(dynamo 0.2 REQUIRED)            # with CMAKE_PREFIX_PATH=/opt/dynamo
#   target_link_libraries(app PRIVATE dynamo::dynamo)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DYNAMO_LICENSE "Apache-2.0")
if(BUILD_SHARED_LIBS)
  set(DYNAMO_LIBRARY_KIND shared)
else()
  set(DYNAMO_LIBRARY_KIND static)
endif()
set(DYNAMO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dynamo)

install(TARGETS ${DYNAMO_LIBRARIES} dynamo dynamo_options
  EXPORT dynamoTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dynamo
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

if(TARGET dynamo-server)
  install(TARGETS dynamo-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET dynamo-cli)  # the `dynamo` command
  install(TARGETS dynamo-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# Shared libraries find each other, and dynamo-server finds them, relative to themselves.
if(BUILD_SHARED_LIBS)
  set_target_properties(${DYNAMO_LIBRARIES} PROPERTIES INSTALL_RPATH "$ORIGIN")
  if(TARGET dynamo-server)
    file(RELATIVE_PATH bin_to_lib /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${CMAKE_INSTALL_LIBDIR})
    string(REGEX REPLACE "/$" "" bin_to_lib "${bin_to_lib}")
    set_target_properties(dynamo-server PROPERTIES INSTALL_RPATH "$ORIGIN/${bin_to_lib}")
    if(TARGET dynamo-cli)
      set_target_properties(dynamo-cli PROPERTIES INSTALL_RPATH "$ORIGIN/${bin_to_lib}")
    endif()
  endif()
endif()

# What a consumer must find for the installed libraries to link, read from the libraries'
# own link lists so that a dependency added to a layer is exported with it. A static library
# carries every dependency to the final link; a shared one only its public ones.
# Each external target's namespace maps to a find_dependency() call and a pkg-config module.
set(dynamo_find_simdjson "simdjson")
set(dynamo_pc_simdjson "simdjson")
set(dynamo_find_OpenSSL "OpenSSL")
set(dynamo_pc_OpenSSL "libcrypto")
set(dynamo_find_ZLIB "ZLIB")
set(dynamo_pc_ZLIB "zlib")
set(dynamo_find_CURL "CURL")
set(dynamo_pc_CURL "libcurl")
set(dynamo_find_SQLite "SQLite3")
set(dynamo_pc_SQLite "sqlite3")
set(dynamo_find_pugixml "pugixml")
set(dynamo_pc_pugixml "pugixml")
set(dynamo_find_Threads "Threads")
set(dynamo_pc_Threads "")          # -pthread in Libs
set(DYNAMO_FIND_DEPENDENCIES "")
set(dynamo_pc_requires "")
set(dynamo_seen "")
foreach(lib IN LISTS DYNAMO_LIBRARIES)
  if(BUILD_SHARED_LIBS)
    get_target_property(links ${lib} INTERFACE_LINK_LIBRARIES)
  else()
    get_target_property(links ${lib} LINK_LIBRARIES)
  endif()
  foreach(link IN LISTS links)
    if(link MATCHES "BUILD_INTERFACE")
      continue()
    endif()
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
    if(NOT link MATCHES "^([A-Za-z0-9_]+)::(.+)$" OR CMAKE_MATCH_1 STREQUAL "dynamo" OR link IN_LIST dynamo_seen)
      continue()
    endif()
    list(APPEND dynamo_seen ${link})
    set(namespace ${CMAKE_MATCH_1})
    set(name ${CMAKE_MATCH_2})
    if(namespace STREQUAL "PkgConfig")
      # A pkg-config module imported by pkg_check_modules(<name> IMPORTED_TARGET <module>):
      # the consumer imports it again under the same name.
      string(TOLOWER ${name} module)
      string(APPEND DYNAMO_FIND_DEPENDENCIES "\
if(NOT TARGET ${link})
  find_dependency(PkgConfig)
  pkg_check_modules(${name} QUIET IMPORTED_TARGET ${module})
  if(NOT TARGET ${link})
    set(dynamo_FOUND FALSE)
    set(dynamo_NOT_FOUND_MESSAGE \"dynamo needs the pkg-config module ${module}\")
    return()
  endif()
endif()
")
      list(APPEND dynamo_pc_requires ${module})
      continue()
    endif()
    if(NOT DEFINED dynamo_find_${namespace})
      message(WARNING "${lib} links ${link}, which cmake/DynamoInstall.cmake does not know: "
                      "the installed package asks for find_dependency(${namespace}); add it to the table")
      set(dynamo_find_${namespace} ${namespace})
      string(TOLOWER ${namespace} dynamo_pc_${namespace})
    endif()
    if(NOT DYNAMO_FIND_DEPENDENCIES MATCHES "find_dependency\\(${dynamo_find_${namespace}}\\)")
      string(APPEND DYNAMO_FIND_DEPENDENCIES "find_dependency(${dynamo_find_${namespace}})\n")
    endif()
    if(dynamo_pc_${namespace} AND NOT dynamo_pc_${namespace} IN_LIST dynamo_pc_requires)
      list(APPEND dynamo_pc_requires ${dynamo_pc_${namespace}})
    endif()
  endforeach()
endforeach()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dynamoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/dynamoConfig.cmake
  INSTALL_DESTINATION ${DYNAMO_CMAKE_DIR})
# Before 1.0 a minor release may break the API, so only the same minor version is compatible.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(dynamo_compatibility SameMinorVersion)
else()
  set(dynamo_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dynamoConfigVersion.cmake
  COMPATIBILITY ${dynamo_compatibility})
install(EXPORT dynamoTargets
  NAMESPACE dynamo::
  FILE dynamoTargets.cmake
  DESTINATION ${DYNAMO_CMAKE_DIR})
install(FILES ${PROJECT_BINARY_DIR}/dynamoConfig.cmake ${PROJECT_BINARY_DIR}/dynamoConfigVersion.cmake
  DESTINATION ${DYNAMO_CMAKE_DIR})
# The optional spdlog adapter in an export set of its own: dynamoConfig.cmake defines
# dynamo::spdlog only where the consumer has spdlog too, and never requires it.
if(TARGET dynamo_spdlog)
  install(TARGETS dynamo_spdlog EXPORT dynamoSpdlogTargets)
  install(EXPORT dynamoSpdlogTargets
    NAMESPACE dynamo::
    FILE dynamoSpdlogTargets.cmake
    DESTINATION ${DYNAMO_CMAKE_DIR})
endif()

# dynamo.pc: relocatable (paths relative to the .pc file). Libraries in link order, from the
# top layer down; a static build lists its dependencies under Requires so that a plain
# `pkg-config --libs dynamo` links, a shared one under Requires.private.
set(DYNAMO_PC_LIBS "")
set(dynamo_link_order ${DYNAMO_LAYERS})
list(REVERSE dynamo_link_order)
foreach(layer IN LISTS dynamo_link_order ITEMS codec value)
  if(TARGET dynamo_${layer})
    string(APPEND DYNAMO_PC_LIBS " -ldynamo_${layer}")
  endif()
endforeach()
list(JOIN dynamo_pc_requires " " dynamo_pc_requires)
if(BUILD_SHARED_LIBS)
  set(DYNAMO_PC_REQUIRES "")
  set(DYNAMO_PC_REQUIRES_PRIVATE "${dynamo_pc_requires}")
else()
  set(DYNAMO_PC_REQUIRES "${dynamo_pc_requires}")
  set(DYNAMO_PC_REQUIRES_PRIVATE "")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(DYNAMO_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(DYNAMO_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/dynamo.pc.in ${PROJECT_BINARY_DIR}/dynamo.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dynamo.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
