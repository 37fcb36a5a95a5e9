/* recdeps: where jumprec finds the pieces other branches of #12 build
 * (docs: /work/rec-spec.md). Each is taken from its real place when it is
 * there (jumpd/rec/recchain.h, recspool.h, cast.h, typed.h from the trail
 * and parsers work; jumpd/common/fdpass.h from the front work), else from
 * standin/: minimal STAND-INS written against the same API so that jumprec
 * builds and is tested before they land. The Makefile picks the matching
 * .c files the same way (REC_DEP_SRCS). Delete standin/ once all landed. */
#ifndef JB_RECDEPS_H
#define JB_RECDEPS_H
#if __has_include("recchain.h")
#include "recchain.h"
#else
#include "standin/recchain.h"
#endif
#if __has_include("recspool.h")
#include "recspool.h"
#else
#include "standin/recspool.h"
#endif
#if __has_include("cast.h")
#include "cast.h"
#else
#include "standin/cast.h"
#endif
#if __has_include("typed.h")
#include "typed.h"
#else
#include "standin/typed.h"
#endif
#if __has_include("../common/fdpass.h")
#include "../common/fdpass.h"
#else
#include "standin/fdpass.h"
#endif
#endif
