/*
 * banned.h - functions that are easy to misuse on hostile input (after git's
 * banned.h). Include it last, after every system header: a use of one of
 * these becomes a compile error that names the reason.
 */
#ifndef VG_CORE_BANNED_H
#define VG_CORE_BANNED_H

#define VG_BANNED(func) sorry_##func##_is_banned_in_vigil

#undef strcpy
#define strcpy(x, y) VG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) VG_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) VG_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) VG_BANNED(strncat)
#undef sprintf
#define sprintf(...) VG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) VG_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) VG_BANNED(strtok)
#undef gets
#define gets(x) VG_BANNED(gets)
#undef atoi
#define atoi(x) VG_BANNED(atoi)
#undef atol
#define atol(x) VG_BANNED(atol)
#undef atoll
#define atoll(x) VG_BANNED(atoll)
#undef sscanf
#define sscanf(...) VG_BANNED(sscanf)
#undef system
#define system(x) VG_BANNED(system)
#undef popen
#define popen(x, y) VG_BANNED(popen)

#endif
