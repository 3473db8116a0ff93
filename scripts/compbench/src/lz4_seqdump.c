/* Print the LZ4 sequences (literal length, offset, match length) of the first page of a page file.
 * build: gcc -O2 src/lz4_seqdump.c build/lz4_compress.O2.o -o build/lz4_seqdump */
#include <stdio.h>
#include <stdlib.h>
int LZ4_compress_fast(const char *s, char *d, int n, int m, int acc, void *w);
int main(int c, char **v){ static char in[4096], out[8192]; static long long wrk[2100]; FILE*f=fopen(v[1],"rb"); fread(in,1,4096,f);
 int n=LZ4_compress_fast(in,out,4096,8192,1,wrk); unsigned char*p=(unsigned char*)out,*e=p+n;
 while(p<e){int t=*p++;int ll=t>>4; if(ll==15){int b;do{b=*p++;ll+=b;}while(b==255);} p+=ll; if(p>=e){printf("lit %d END\n",ll);break;}
  int off=p[0]|p[1]<<8;p+=2;int ml=t&15; if(ml==15){int b;do{b=*p++;ml+=b;}while(b==255);} ml+=4; printf("lit %d off %d mlen %d\n",ll,off,ml);} }
