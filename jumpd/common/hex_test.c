/* unit tests for hex.c */
#include "hex.h"
#include "unittest.h"

#include <string.h>

static void test_digits(void)
{
	CHECK(hex_digit('0') == 0 && hex_digit('9') == 9 && hex_digit('a') == 10 && hex_digit('f') == 15);
	/* one spelling per value: upper case is not a digit here */
	CHECK(hex_digit('A') == -1 && hex_digit('F') == -1);
	CHECK(hex_digit('g') == -1 && hex_digit('/') == -1 && hex_digit(':') == -1 && hex_digit('`') == -1);
	CHECK(hex_digit(0) == -1 && hex_digit((char)0xb0) == -1);
}

static void test_encode(void)
{
	const uint8_t in[] = { 0x00, 0x0f, 0xa5, 0xff };
	char out[2 * sizeof in + 1];
	memset(out, 'x', sizeof out);
	hex_encode(in, sizeof in, out);
	CHECK(!strcmp(out, "000fa5ff"));
	hex_encode(in, 0, out);
	CHECK(out[0] == 0);
}

static void test_decode(void)
{
	uint8_t out[4] = { 0 };
	CHECK(hex_decode("000fa5ff", out, 4) == 0 && out[0] == 0 && out[1] == 0x0f && out[2] == 0xa5 && out[3] == 0xff);
	CHECK(hex_decode("000FA5FF", out, 4) == -1);
	CHECK(hex_decode("0g", out, 1) == -1 && hex_decode("g0", out, 1) == -1);
	/* only 2 * n characters are read: what follows does not matter */
	CHECK(hex_decode("7e!", out, 1) == 0 && out[0] == 0x7e);
	CHECK(hex_decode("", out, 0) == 0);
}

static void test_round_trip(void)
{
	uint8_t all[256], back[256];
	char text[513];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	hex_encode(all, sizeof all, text);
	CHECK(strlen(text) == 512 && hex_decode(text, back, sizeof back) == 0 && !memcmp(all, back, sizeof all));
}

static void test_text_checks(void)
{
	CHECK(hex_text("00ff", 4) && !hex_text("00FF", 4) && !hex_text("00f", 4) && !hex_text("00fff", 4));
	CHECK(!hex_text(NULL, 0) && hex_text("", 0) && !hex_text("0", 0));
	CHECK(decimal_text("0", 20) && decimal_text("18446744073709551615", 20) && !decimal_text("184467440737095516150", 20));
	CHECK(!decimal_text("", 4) && !decimal_text(NULL, 4) && !decimal_text("-1", 4) && !decimal_text("1 ", 4));
	CHECK(!decimal_text("+1", 4) && decimal_text("9999", 4) && !decimal_text("10000", 4) && !decimal_text("12a", 4));
}

int main(void)
{
	RUN(test_digits);
	RUN(test_encode);
	RUN(test_decode);
	RUN(test_round_trip);
	RUN(test_text_checks);
	UT_END();
}
