#!/usr/bin/env bash
# Authors the demo trailer clips in web/public/media/trailers/ (committed, so a fresh machine needs
# no ffmpeg). Run once by hand when the look should change: `bash web/scripts/make-trailers.sh`.
# Everything comes from ffmpeg's synthetic sources, so the output is deterministic and needs no
# footage; each clip is 12 s of 640x360 VP9 + Opus, a few hundred KB.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { echo "ffmpeg is needed to author clips: apt-get install -y ffmpeg" >&2; exit 1; }

out=public/media/trailers
font=../node_modules/@fontsource/bebas-neue/files/bebas-neue-latin-400-normal.woff
mkdir -p "$out"
dur=12
size=640x360

# name | video source (lavfi) | colour grade | tagline | chord (Hz, three notes)
clips=(
  "1|gradients=s=${size}:c0=0x14060a:c1=0xb20710:c2=0x2a0a12:c3=0xe50914:x0=0:y0=0:x1=640:y1=360:speed=0.015:d=${dur}:r=24|eq=saturation=1.2|A STORY OF FIRST LIGHT|110 138.6 164.8"
  "2|mandelbrot=s=${size}:r=24:start_scale=2.5:end_scale=0.25:end_pts=${dur}:inner=convergence|hue=h=20:s=1.1|BEYOND THE EDGE OF THE MAP|98 123.5 146.8"
  "3|life=s=160x90:r=24:mold=20:life_color=0x6ee7b7:death_color=0x03140c:mold_color=0x0f3d2e,scale=${size}:flags=neighbor|eq=contrast=1.1|EVERYTHING GROWS BACK|130.8 164.8 196"
  "4|cellauto=s=160x90:r=24:rule=30:scroll=1,scale=${size}:flags=neighbor,colorchannelmixer=rr=0.2:gg=0.45:bb=1|eq=brightness=-0.05|THE PATTERN NEVER LIES|87.3 110 130.8"
  "5|gradients=s=${size}:c0=0x1b0b3a:c1=0x6d28d9:c2=0x0e7490:c3=0x020617:speed=0.02:d=${dur}:r=24:type=radial|eq=saturation=1.3|ONE NIGHT. ONE CHANCE.|116.5 146.8 174.6"
  "6|gradients=s=${size}:c0=0x1c1002:c1=0xf59e0b:c2=0x7c2d12:c3=0x0c0a09:speed=0.012:d=${dur}:r=24:type=circular|eq=saturation=1.1|THE LONG ROAD HOME|103.8 130.8 155.6"
)

for spec in "${clips[@]}"; do
  IFS='|' read -r n src grade tagline chord <<<"$spec"
  read -r f1 f2 f3 <<<"$chord"
  text="drawtext=fontfile=${font}:text='${tagline}':fontcolor=white:fontsize=44:x=(w-tw)/2:y=(h-th)/2:alpha='if(lt(t,1.5),0,if(lt(t,3),(t-1.5)/1.5,if(lt(t,8),1,if(lt(t,9.5),(9.5-t)/1.5,0))))':shadowcolor=black@0.6:shadowx=0:shadowy=2"
  brand="drawtext=fontfile=${font}:text='MARQUEE PRESENTS':fontcolor=white@0.85:fontsize=22:x=(w-tw)/2:y=h*0.78:alpha='if(lt(t,9.5),0,min(1,(t-9.5)/1))'"
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "${src}" \
    -f lavfi -i "aevalsrc='0.12*sin(2*PI*${f1}*t)+0.09*sin(2*PI*${f2}*t)+0.07*sin(2*PI*${f3}*t)':s=48000:d=${dur}" \
    -filter_complex "[0:v]trim=duration=${dur},setpts=PTS-STARTPTS,${grade},vignette=PI/4,${text},${brand},fade=t=in:st=0:d=1,fade=t=out:st=$((dur - 1)):d=1,format=yuv420p[v];[1:a]afade=t=in:d=1.5,afade=t=out:st=$((dur - 2)):d=2[a]" \
    -map "[v]" -map "[a]" -t "${dur}" \
    -c:v libvpx-vp9 -b:v 150k -deadline good -cpu-used 2 -row-mt 0 -threads 1 -g 48 \
    -c:a libopus -b:a 32k \
    -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
    "${out}/trailer-${n}.webm"
  echo "${out}/trailer-${n}.webm $(stat -c %s "${out}/trailer-${n}.webm") bytes"
done
